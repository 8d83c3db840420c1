"""The summary card's dashed leaders never cross another estimate's marker (issue 21: the
trimmed local minimum's leader ran through the Huber star and the median bar)."""

from scenes.scene.card_scene import LEADER_CLEARANCE, leader_pieces

BAR = (0.0, 0.6, 0.3, 0.46)  # left, right, bottom, top: a median bar over 0..0.6
STAR = (0.19, 0.43, 0.5, 0.74)  # a star centred on 0.31


def test_a_leader_stops_short_of_a_marker_it_would_cross_and_goes_on_above():
    pieces = leader_pieces(0.45, 0.0, 1.0, [BAR])
    assert pieces == [(0.0, 0.3 - LEADER_CLEARANCE), (0.46 + LEADER_CLEARANCE, 1.0)]


def test_a_marker_to_one_side_does_not_cut_the_leader():
    assert leader_pieces(0.8, 0.0, 1.0, [BAR, STAR]) == [(0.0, 1.0)]


def test_a_marker_of_the_same_value_below_carries_the_leader():
    """A hexagon above the star at the same value starts above the star: one column, one
    leader to the line (the star's), instead of a second dashed line through the star."""
    pieces = leader_pieces(0.31, 0.0, 1.0, [BAR, STAR])
    assert pieces == [(0.74 + LEADER_CLEARANCE, 1.0)]
    assert leader_pieces(0.31, 0.0, 0.78, [BAR, STAR]) == []


def test_no_piece_enters_any_box():
    marks = [BAR, STAR, (0.7, 0.9, 0.1, 0.2)]
    for x in [0.05, 0.2, 0.31, 0.5, 0.8, 0.95]:
        for low, high in leader_pieces(x, 0.0, 1.2, marks):
            for left, right, bottom, top in marks:
                if left <= x <= right:
                    assert high <= bottom or low >= top, (x, low, high)
