"""The house rules: packages import only downward, the generated docs match the code, the
library face works as docs/python-api.md shows, settings load and fail cleanly."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import claimledger
from claimledger.cli import app
from claimledger.errors import SettingsError
from claimledger.settings import Settings, settings_doc
from claimledger.store.schema_doc import MEANING, generate

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "src" / "claimledger"
runner = CliRunner()

# what each layer may import from claimledger (besides itself); the base modules import none of these
ALLOWED = {
    "extract": {"records", "errors", "resources", "settings"},
    "group": {"records", "errors", "resources", "settings"},
    "store": {"records", "errors"},
    "output": {"records", "errors", "settings", "store", "__init__"},
    "build": {"records", "errors", "resources", "settings", "extract", "group", "store", "__init__"},
    "scaleout": {"records", "errors", "resources", "settings", "extract", "group", "store", "build", "__init__"},
    "records": set(),
    "errors": set(),
    "settings": {"errors"},
    "resources": {"errors"},
}


def _claimledger_imports(path: Path) -> set[str]:
    """The top-level claimledger modules or packages a file imports ("__init__" for the package itself)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for n in names:
            parts = n.split(".")
            if parts[0] == "claimledger":
                out.add(parts[1] if len(parts) > 1 else "__init__")
    return out


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_each_layer_imports_only_downward(layer: str) -> None:
    files = sorted((PKG / layer).rglob("*.py")) if (PKG / layer).is_dir() else [PKG / f"{layer}.py"]
    assert files
    for f in files:
        wrong = _claimledger_imports(f) - ALLOWED[layer] - {layer}
        assert not wrong, f"{f.relative_to(ROOT)} imports {sorted(wrong)}"


def test_the_library_never_imports_the_cli_toolkits() -> None:
    for f in PKG.rglob("*.py"):
        if "cli" in f.relative_to(PKG).parts:
            continue
        mods = {n.split(".")[0] for node in ast.walk(ast.parse(f.read_text()))
                for n in ([a.name for a in node.names] if isinstance(node, ast.Import) else
                          [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])}
        assert not mods & {"typer", "rich"}, f


def test_no_migration_calls_algorithm_code() -> None:
    source = (PKG / "store" / "schema.py").read_text()
    assert not _claimledger_imports(PKG / "store" / "schema.py") - {"records", "errors", "store"}
    assert not re.search(r"from claimledger\.(extract|group)|import claimledger\.(extract|group)", source)


def test_schema_doc_is_generated_from_the_migrations() -> None:
    assert (ROOT / "docs" / "schema.md").read_text() == generate(), \
        "run: python -m claimledger.docgen schema > docs/schema.md"
    assert "(undocumented)" not in generate()
    assert {"mentions", "coverage", "runs"} <= set(MEANING)


def test_settings_doc_is_generated_from_the_settings() -> None:
    assert (ROOT / "docs" / "settings.md").read_text() == settings_doc(), \
        "run: python -m claimledger.docgen settings > docs/settings.md"
    for section in Settings.model_fields.values():
        cls = section.annotation
        assert isinstance(cls, type)
        for name, field in cls.model_fields.items():  # type: ignore[attr-defined]
            assert field.description, f"{cls.__name__}.{name} has no docstring"


def test_readme_is_short_and_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    assert len(text.encode()) < 10_000
    first_screen = "\n".join(text.splitlines()[:20])
    assert "claimledger ingest data/raw" in first_screen and "pytest" in first_screen


def test_the_python_api_example_runs(tmp_path: Path, monkeypatch, nlp, capsys) -> None:
    code = re.search(r"```python\n(.*?)```", (ROOT / "docs" / "python-api.md").read_text(), re.S)
    assert code
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(claimledger, "load_nlp", lambda name=None: nlp)
    exec(compile(code.group(1).replace("from claimledger import", "from claimledger import"), "python-api.md",
                 "exec"), {"__name__": "example"})
    out = capsys.readouterr().out
    assert out.startswith("5 articles,") and "only in Defense Desk" in out and "maybe:" in out
    assert set(claimledger.__all__) <= set(dir(claimledger))
    assert all(getattr(claimledger, name) is not None for name in claimledger.__all__)


@pytest.mark.parametrize(("text", "suffix", "expected"), [
    ("[stories]\nthreshold = 0.2\n", ".toml", ("stories", "threshold", 0.2)),
    ('{"align": {"maybe": 0.25}}', ".json", ("align", "maybe", 0.25)),
    ("", ".toml", ("events", "per_article", 3)),
])
def test_settings_files_override_the_defaults(tmp_path: Path, text: str, suffix: str,
                                              expected: tuple[str, str, float]) -> None:
    f = tmp_path / f"s{suffix}"
    f.write_text(text)
    section, name, value = expected
    assert getattr(getattr(Settings.load(f), section), name) == value


@pytest.mark.parametrize(("text", "message"), [
    ("[stories]\nthreshhold = 0.2\n", "stories.threshhold: Extra inputs are not permitted"),
    ("[align]\nmaybe = 'high'\n", "align.maybe: Input should be a valid number"),
    ("[stories\n", "is not valid TOML"),
])
def test_a_bad_settings_file_is_one_error_line(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(text)
    with pytest.raises(SettingsError, match=re.escape(message)):
        Settings.load(f)
    res = runner.invoke(app, ["ingest", "data/raw", "--db", str(tmp_path / "x.db"), "--config", str(f)])
    assert res.exit_code == 1 and res.output.count("\n") == 1 and res.output.startswith("Error: ")
    assert not (tmp_path / "x.db").exists()


def test_settings_change_what_ingest_finds_and_are_stored(tmp_path: Path) -> None:
    f = tmp_path / "one-claim-each.json"
    f.write_text(json.dumps({"align": {"asserts": 1.0, "maybe": 1.0}}))  # nothing is ever linked
    db = str(tmp_path / "l.db")
    res = runner.invoke(app, ["ingest", str(ROOT / "data" / "raw"), "--db", db, "--config", str(f), "-q"])
    assert res.exit_code == 0, res.output
    stored = json.loads(runner.invoke(app, ["settings", "--db", db]).stdout)
    assert stored["align"]["asserts"] == 1.0 and stored["stories"] == Settings().stories.model_dump()
    claims = json.loads(runner.invoke(app, ["claims", "--db", db, "--json"]).stdout)
    assert all(len(c["asserts"]) == 1 for c in claims if c["kind"] != "event")


def test_the_cli_names_the_settings_variable_the_settings_read() -> None:
    from claimledger.cli import common
    from claimledger.settings import CONFIG_ENV

    assert common.CONFIG_ENV == CONFIG_ENV


def test_a_read_command_loads_neither_spacy_nor_the_settings_model_nor_sqlite_utils(seed_db) -> None:
    import subprocess
    import sys

    code = ("import sys; from claimledger.cli import main; sys.argv = ['claimledger', 'stories', '--db', sys.argv[1]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('spacy', 'numpy', 'sqlite_utils', 'claimledger.settings', 'claimledger.build') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, str(seed_db)], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"
    assert "stories" in out.lower() or "Russia" in out


def test_the_migration_names_a_read_checks_are_the_schema_s() -> None:
    from claimledger.store.schema import migrations
    from claimledger.store.versions import MIGRATIONS

    assert tuple(m.name for m in migrations._migrations) == MIGRATIONS
