"""docs/reference is generated from the op and pass definitions and must match them."""

from conftest import REPO

from bnnc.driver.cli.reference_docs import generate


def test_reference_docs_are_up_to_date():
    for name, text in generate().items():
        path = REPO / "docs" / "reference" / name
        assert path.read_text() == text, (
            f"{path} is out of date: run `python -m bnnc.driver.cli.reference_docs docs/reference`"
        )


def test_every_op_and_pass_is_documented():
    dialects, passes = generate()["dialects.md"], generate()["passes.md"]
    for op in ("bnn.sign", "df.mvtu", "df.swu", "hls.top", "hls.instance", "hls.rom"):
        assert f"### `{op}`" in dialects
    for name in ("fold", "size-fifos", "lower-dataflow-to-hls", "threshold-fusion"):
        assert f"## `{name}`" in passes
    assert "(undocumented)" not in dialects
