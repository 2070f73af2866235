"""Tests of the article readers (kg.read): every format and every bad input they report."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.identity import text_id
from kg.read import parse_date, read_articles
from kg.records import Article

SEED = (
    Path(__file__).parent.parent
    / "examples"
    / "articles"
    / "niger-us-withdrawal-russian-instructors.md"
)

PARAGRAPH = (
    "The junta in Niamey told the United States to withdraw its troops from the air base near "
    "Agadez, and officials in Washington said the departure of more than one thousand soldiers "
    "would be completed within months, while Russian military instructors arrived in the capital."
)


def read_all(*paths: str, **kwargs) -> list[Article | InputError]:
    return list(read_articles(paths, **kwargs))


def read_one(path: Path | str, **kwargs) -> Article | InputError:
    (result,) = read_all(str(path), **kwargs)
    return result


def error_of(path: Path | str, **kwargs) -> InputError:
    result = read_one(path, **kwargs)
    assert isinstance(result, InputError), result
    return result


# --- good inputs ---------------------------------------------------------------------------------


def test_markdown_with_full_front_matter(tmp_path: Path) -> None:
    body = "\nNiger asked the US to leave.\r\nRussian instructors arrived.\n"
    path = tmp_path / "a.md"
    path.write_bytes(
        (
            "\ufeff---\n"
            "title: US leaves Niger\n"
            "url: https://example.org/niger\n"
            "date: 2024-03-16\n"
            "source: Example News\n"
            "author: [A. Writer, B. Writer]\n"
            "keywords: [Niger, USA]\n"
            "lang: en\n"
            "---\n" + body
        ).encode()
    )
    article = read_one(path)
    assert article == Article(
        id="https://example.org/niger",
        path=str(path),
        text=body.replace("\r\n", "\n"),
        title="US leaves Niger",
        url="https://example.org/niger",
        date=dt.date(2024, 3, 16),
        source="Example News",
        author="A. Writer, B. Writer",
        meta=(("keywords", "Niger, USA"), ("lang", "en")),
    )
    start = article.text.index("Niger")
    assert article.text[start : start + len("Niger asked")] == "Niger asked"
    assert article.text.startswith("\n")  # kept exactly as after the closing line


def test_text_without_front_matter_is_identified_by_its_text(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text("Niger and the US agreed.\n", encoding="utf-8")
    article = read_one(path)
    assert isinstance(article, Article)
    assert (article.id, article.path, article.text) == (
        text_id("Niger and the US agreed."),
        str(path),
        "Niger and the US agreed.\n",
    )
    assert article.id.startswith("sha256:") and len(article.id) == len("sha256:") + 16
    assert (article.title, article.date, article.meta) == (None, None, ())
    assert article.name == str(path)  # what events-csv calls it


def test_an_article_without_url_is_its_text_not_its_path(tmp_path: Path) -> None:
    body = "Chad closed its border with Sudan.\n\nThe army sent 300 soldiers to Adre.\n"
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
    (tmp_path / "one" / "border.md").write_text(body, encoding="utf-8")
    (tmp_path / "two" / "copy.txt").write_text(body, encoding="utf-8")
    (tmp_path / "two" / "spaced.md").write_text(  # the same words, spaced and composed otherwise
        "---\ntitle: Border closed\ndate: 2024-02-01\n---\n  Chad closed its border with\tSudan."
        "\r\nThe army sent 300\u00a0soldiers to Adre.  ", encoding="utf-8")
    (tmp_path / "two" / "other.md").write_text(body.replace("300", "400"), encoding="utf-8")
    first, copy, other, spaced = read_all(str(tmp_path / "one"), str(tmp_path / "two"))
    assert first.id == copy.id == spaced.id != other.id
    assert (first.path, copy.path) == (str(tmp_path / "one" / "border.md"),
                                       str(tmp_path / "two" / "copy.txt"))
    assert text_id("Caf\u00e9 talks") == text_id("Cafe\u0301 talks")  # NFC


def test_each_text_on_stdin_is_its_own_article() -> None:
    (one,) = read_all("-", stdin=io.StringIO("Chad closed its border.\n"))
    (two,) = read_all("-", stdin=io.StringIO("Chad opened its border.\n"))
    assert one.path == two.path == "-"
    assert one.id != two.id and one.name == one.id  # stdin has no path to go by


def test_front_matter_may_close_with_dots_and_be_empty(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\n...\nBody.", encoding="utf-8")
    assert read_one(path).text == "Body."


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-03-16", dt.date(2024, 3, 16)),
        ("2024-03-16T10:30:00Z", dt.date(2024, 3, 16)),
        ("March 16, 2024", dt.date(2024, 3, 16)),
        (dt.datetime(2024, 3, 16, 8, 0), dt.date(2024, 3, 16)),
        (dt.date(2024, 3, 16), dt.date(2024, 3, 16)),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["xyz", "2024-13-40", 2024])
def test_parse_date_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_date_argument_is_used_only_when_the_article_has_none(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ndate: March 1, 2024\n---\nText.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Text.\n", encoding="utf-8")
    fallback = dt.date(2024, 5, 1)
    dated, undated = read_all(str(tmp_path), date=fallback)
    assert dated.date == dt.date(2024, 3, 1)
    assert undated.date == fallback


def test_directory_is_walked_sorted_skipping_hidden_and_other_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "dev"
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    for name in [
        "02-b.md",
        "01-a.txt",
        "sub/03-c.markdown",
        "sub/deeper/04-d.MD",
        ".hidden/x.txt",
        ".secret.txt",
        "notes.pdf",
        "data.json",
    ]:
        (root / name).write_text("Some text.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    paths = [a.path for a in read_all("dev")]
    assert paths == ["dev/01-a.txt", "dev/02-b.md", "dev/sub/03-c.markdown",
                     "dev/sub/deeper/04-d.MD"]


def test_jsonl_good_lines_read_and_bad_lines_reported(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    lines = [
        json.dumps(
            {
                "text": "Niger asked the US to leave.",
                "title": "One",
                "date": "2024-03-16",
                "tags": ["a", "b"],
            }
        ),
        "",
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "Second.", "url": "https://example.org/2"}),
        json.dumps(["a list"]),
        json.dumps({"text": "Bad date.", "date": "soon"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first, bad_json, no_text, second, not_object, bad_date = read_all(
        str(path), date=dt.date(2024, 1, 1)
    )
    assert (first.id, first.path, first.title, first.date) == (
        text_id("Niger asked the US to leave."),
        f"{path}:1",
        "One",
        dt.date(2024, 3, 16),
    )
    assert first.meta == (("tags", "a, b"),)
    assert (second.id, second.path, second.date) == (
        "https://example.org/2",
        f"{path}:5",
        dt.date(2024, 1, 1),
    )
    for error, line, reason in [
        (bad_json, 3, "invalid JSON"),
        (no_text, 4, '"text"'),
        (not_object, 6, "not an object"),
        (bad_date, 7, "bad date 'soon'"),
    ]:
        assert isinstance(error, InputError)
        assert f"{path}:{line}:" in str(error) and reason in str(error)
        assert error.line == line


def test_html_article_text_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Troops leave Niger</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>Troops leave Niger</h1><p>{PARAGRAPH}</p><p>Second paragraph. {PARAGRAPH}</p>"
        "</article><footer>Copyright Example News</footer></body></html>",
        encoding="utf-8",
    )
    article = read_one(path)
    assert isinstance(article, Article)
    assert "Russian military instructors arrived" in article.text
    assert "Home" not in article.text and "Copyright" not in article.text
    assert article.title == "Troops leave Niger"
    assert (article.id, article.path) == (text_id(article.text), str(path))


def test_stdin(tmp_path: Path) -> None:
    stdin = io.StringIO("---\ntitle: From stdin\n---\nNiger text.\n")
    (article,) = read_all("-", stdin=stdin)
    assert (article.id, article.path, article.title, article.text) == (
        text_id("Niger text."),
        "-",
        "From stdin",
        "Niger text.\n",
    )


def test_stdin_with_url_uses_it_as_id() -> None:
    (article,) = read_all("-", stdin=io.StringIO("---\nurl: https://example.org/x\n---\nText.\n"))
    assert article.id == "https://example.org/x"


def test_seed_article() -> None:
    article = read_one(SEED)
    assert isinstance(article, Article)
    assert article.title.startswith("US Troops Withdraw from Niger")
    assert article.author == "Sededin Dedovic"
    assert ("keywords", "Russian, Washington") in article.meta
    assert article.text.lstrip().startswith("US Troops Withdraw from Niger")
    assert "---" not in article.text.splitlines()[:3]


# --- bad inputs ----------------------------------------------------------------------------------


def test_missing_path_raises(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Text.\n", encoding="utf-8")
    missing = str(tmp_path / "nope.md")
    results = read_articles([str(good), missing])
    assert isinstance(next(results), Article)
    with pytest.raises(InputError, match="nope.md: no such file or directory"):
        next(results)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert str(error_of(path)) == (f"{path}: binary file, not text (kg reads UTF-8 text in "
                                   ".txt, .md, .markdown, .jsonl, .html, .htm files)")


@pytest.mark.parametrize("name, what", [("report.pdf", ".pdf"), ("00-seed.gold", ".gold"),
                                        ("README", "files without an extension")])
def test_a_file_of_another_extension_is_refused_naming_what_kg_reads(
        tmp_path: Path, name: str, what: str) -> None:
    path = tmp_path / name
    path.write_text("Niger asked the US to leave.\n", encoding="utf-8")  # text, but not an article
    good = tmp_path / "good.md"
    good.write_text("Chad closed its border.\n", encoding="utf-8")
    refused, article = read_all(str(path), str(good))
    assert str(refused) == (f"{path}: kg reads .txt, .md, .markdown, .jsonl, .html, .htm files, "
                            f"not {what}")
    assert isinstance(article, Article)


def test_non_utf8_names_line_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes("line one\nline two\ncaf\u00e9\n".encode("latin-1"))
    assert str(error_of(path)) == f"{path}:3: not UTF-8 text (invalid byte at offset 21)"


@pytest.mark.parametrize("content", ["", "  \n\n", "---\ntitle: Nothing\n---\n  \n"])
def test_empty_article(tmp_path: Path, content: str) -> None:
    path = tmp_path / "empty.md"
    path.write_text(content, encoding="utf-8")
    assert str(error_of(path)) == f"{path}: empty article"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param("---\ntitle: Open\n\nBody without a closing line.\n",
                     ":1: front matter opened on line 1 is never closed", id="unclosed"),
        # PyYAML notices the unclosed list where the next key starts
        pytest.param("---\ntitle: Fine\nauthor: [unclosed\nsource: x\n---\nBody.\n",
                     ":4: invalid YAML front matter: expected ',' or ']', but got ':'",
                     id="invalid-yaml-list"),
        pytest.param("---\ntitle: Fine\nurl: a: b\n---\nBody.\n",
                     ":3: invalid YAML front matter: mapping values are not allowed here",
                     id="invalid-yaml-mapping"),
        pytest.param("---\n- a\n- b\n---\nBody.\n",
                     ":1: front matter is not a mapping of keys to values", id="not-a-mapping"),
        pytest.param("---\ntitle: T\nsource: S\ndate: xyz\n---\nBody.\n",
                     ":4: bad date 'xyz' in front matter", id="bad-date"),
    ],
)
def test_bad_front_matter_names_file_and_line(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.md"
    path.write_text(content, encoding="utf-8")
    assert str(error_of(path)) == f"{path}{expected}"


def test_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text(
        "<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>",
        encoding="utf-8",
    )
    assert str(error_of(path)) == f"{path}: no article text found in HTML"


def test_bad_article_does_not_stop_the_batch(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x00\x01")
    (tmp_path / "b.txt").write_text("Good.\n", encoding="utf-8")
    first, second = read_all(str(tmp_path))
    assert isinstance(first, InputError) and isinstance(second, Article)


def test_hostile_front_matter_and_json_lines_are_one_line_each_and_the_rest_is_read(
        tmp_path: Path) -> None:
    (tmp_path / "a-date.md").write_text("---\ndate: 2024-02-30\n---\nChad expelled envoys.\n")
    anchors = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefg", "bcdefgh"))
    (tmp_path / "b-laughs.md").write_text(f"---\n{anchors}---\nMali expelled envoys.\n")
    (tmp_path / "c-lines.jsonl").write_text(
        '{"text": "Niger expelled \\ud800 envoys."}\n'
        + '{"text": ' + "[" * 50_000 + "]" * 50_000 + "}\n"
        + '{"text": "Benin expelled envoys."}\n')
    (tmp_path / "d-good.md").write_text("Togo expelled envoys.\n")
    found = read_all(str(tmp_path))
    errors = [str(e) for e in found if isinstance(e, InputError)]
    assert len(errors) == 4, errors
    assert "a-date.md:2: bad date '2024-02-30'" in errors[0]
    assert "b-laughs.md" in errors[1] and "aliases" in errors[1]
    assert "c-lines.jsonl:1" in errors[2] and "surrogate" in errors[2]
    assert "c-lines.jsonl:2" in errors[3] and "nested too deeply" in errors[3]
    texts = sorted(a.text.strip() for a in found if isinstance(a, Article))
    assert texts == ["Benin expelled envoys.", "Togo expelled envoys."]
