"""Optional features without their extras: a one-line message naming the extra to install,
and the core (text in, labels out) still works."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from attribution.extras import EXTRAS, MissingExtra, needs

# Run Python with the modules of some extras hidden, as a core install would be.
HIDE = textwrap.dedent("""
    import importlib.util, sys
    hidden = set(sys.argv.pop(1).split(","))
    real = importlib.util.find_spec
    def find_spec(name, *args, **kwargs):
        return None if name.split(".")[0] in hidden else real(name, *args, **kwargs)
    importlib.util.find_spec = find_spec
    class Hide:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in hidden:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    sys.meta_path.insert(0, Hide())
""")


def run(hidden: list[str], code: str) -> subprocess.CompletedProcess:
    modules = ",".join(m for extra in hidden for m in EXTRAS[extra])
    return subprocess.run([sys.executable, "-c", HIDE + textwrap.dedent(code), modules],
                          capture_output=True, text=True, timeout=300)


def test_needs_names_the_extra(monkeypatch):
    monkeypatch.setattr("attribution.extras.find_spec", lambda name: None)
    with pytest.raises(MissingExtra, match=r"pip install 'attribution\[plots\]'"):
        needs("plots", "plots and reports")


def test_each_feature_without_its_extra_says_which_to_install(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Officials said the talks failed.</p></body></html>")
    story = tmp_path / "story.txt"
    story.write_text("Officials said the talks failed.")
    done = run(["html", "plots", "train"], f"""
        from attribution.cli import main
        print("train", main(["train", "sourcing", "--out", {str(tmp_path / "m")!r}]))
        print("html", main(["annotate", {str(page)!r}]))
        print("core", main(["annotate", {str(story)!r}]))
        try:
            import attribution
            attribution.plot_label_shares
        except ImportError as exc:
            print("plots", type(exc).__name__, exc)
    """)
    out, err = done.stdout, done.stderr
    assert "train 2" in out and "html 2" in out and "core 0" in out, (out, err)
    assert "anonymous" in out  # the core annotated the story
    assert "training and evaluation needs the 'train' extra" in err
    assert "pip install 'attribution[html]'" in err
    assert "plots MissingExtra plots and reports needs the 'plots' extra" in out
    assert "Traceback" not in err
