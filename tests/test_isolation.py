"""The autouse `clean_environment` fixture: no test sees a developer's keys or secrets file."""

import os

from lib.settings import load_settings


def test_no_key_or_triangulate_variable_reaches_a_test():
    leaked = [n for n in os.environ if n.endswith("_API_KEY") or n == "TRIANGULATE_MAILTO"]
    assert leaked == []


def test_a_secrets_file_in_the_working_directory_is_not_read(tmp_path, monkeypatch):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('ALTMETRIC_API_KEY = "developer-key"\n')
    monkeypatch.chdir(tmp_path)
    assert load_settings().keys == {}
    monkeypatch.delenv("TRIANGULATE_SECRETS_FILE")
    assert load_settings().keys == {"altmetric": "developer-key"}  # what the fixture prevents
