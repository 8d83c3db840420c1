"""What an editor shows on hover is for the spec's author (issue 23): one paragraph of Markdown,
no reStructuredText, no internal notes or references to the contract's sections."""

import json
import re

from helpers import ROOT

SCHEMA = ROOT / "assets" / "schema" / "spec-v1.schema.json"


def _descriptions(node):
    if isinstance(node, dict):
        if isinstance(node.get("description"), str):
            yield node["description"]
        for value in node.values():
            yield from _descriptions(value)
    elif isinstance(node, list):
        for value in node:
            yield from _descriptions(value)


def test_every_hover_is_one_paragraph_of_markdown():
    texts = list(_descriptions(json.loads(SCHEMA.read_text(encoding="utf-8"))))
    assert len(texts) > 100
    for text in texts:
        assert "``" not in text, text
        assert not re.search(r":(attr|class|func|meth|mod|data):`", text), text
        assert not re.search(r"spec-v\d", text), text
        assert "\n" not in text, text
        assert "so far" not in text, text
