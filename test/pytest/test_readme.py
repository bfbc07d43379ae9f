"""The README's Python example runs as written, from the repository root."""

import os
import re

from conftest import REPO


def test_readme_python_api_example(tmp_path, monkeypatch, capsys):
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Python API") :]
    code = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL).group(1)
    monkeypatch.chdir(tmp_path)
    os.symlink(REPO / "examples", tmp_path / "examples")
    exec(compile(code, "README.md", "exec"), {})  # noqa: S102  (the example is the test)
    assert (tmp_path / "build" / "tfc-9000" / "hls" / "top.cpp").is_file()
    assert "csim" in capsys.readouterr().out
