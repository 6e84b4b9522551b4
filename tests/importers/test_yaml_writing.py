"""Writing YAML back: whatever the value, what is written reads back as the same data; what
the import did not change stays byte for byte; and any account file merged with any export
keeps every hand-typed field (a property test)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safesocial.documents import yamledit, yamlio, yamlwrite
from safesocial.importers.merge import norm_handle
from safesocial.importers.run import run_import
from tests import import_exports as build

KEYS = st.text(min_size=1, max_size=12).filter(lambda k: k.strip() == k and k)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(
        [
            "yes",
            "no",
            "on",
            "off",
            "null",
            "~",
            "2024-01-01",
            "0123",
            "@x",
            "a: b",
            "# c",
            "- d",
            "x #y",
            "'q'",
            '"q"',
            "|",
            ">",
            "*a",
            "&a",
            "!t",
            "%p",
            "line\nbreak",
            "tail\n",
            "  lead",
            "\x1b[31m",
            "\u202e",
            "\u2028",
            "\ufeff",
        ]
    ),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=12,
)


def reads_back(text: str):
    return yamlio.parse(text, "t.yaml")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, min_size=1, max_size=6))
def test_anything_written_afresh_reads_back_the_same(doc):
    rendered = yamledit.render(None, doc, ["# safesocial import: test"], "t.yaml")
    assert yamlwrite.same(doc, reads_back(rendered.text))


@settings(max_examples=200, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=6))
def test_list_items_read_back_the_same(items):
    text = "items:\n" + "".join(line + "\n" for line in yamlwrite.block_list(items, 2))
    assert yamlwrite.same({"items": items}, reads_back(text))


ORIGINAL = """\
# yaml-language-server: $schema=x
# top comment
a: 1  # eol on a
b: 'single # not a comment'
# lead of c
c:
  - {x: 1}   # first
  # lead of second
  - x: 2
    y: |
      block # text
      more
  - [3, 4]

d: >-
  folded
  text
"""


def test_unchanged_document_is_byte_identical():
    doc = reads_back(ORIGINAL)
    src = yamledit.scan(ORIGINAL, doc)
    rendered = yamledit.render(src, dict(doc), [], "t.yaml")
    assert rendered.text == ORIGINAL and rendered.lost == []


def test_comments_are_found_by_the_scanner_not_by_guessing():
    src = yamledit.scan(ORIGINAL, reads_back(ORIGINAL))
    assert sorted(src.comments.values()) == sorted(
        [
            "# yaml-language-server: $schema=x",
            "# top comment",
            "# eol on a",
            "# lead of c",
            "# first",
            "# lead of second",
        ]
    )


def test_only_the_changed_entries_are_rewritten():
    doc = reads_back(ORIGINAL)
    old = doc["c"]
    merged = dict(doc)
    merged["a"] = 2
    merged["c"] = [old[0], old[2], {"x": 5}]  # the second entry left, a new one came
    rendered = yamledit.render(yamledit.scan(ORIGINAL, doc), merged, [], "t.yaml")
    assert yamlwrite.same(merged, reads_back(rendered.text))
    assert "a: 2  # eol on a\n" in rendered.text
    assert "  - {x: 1}   # first\n  - [3, 4]\n  - {x: 5}\n\nd: >-" in rendered.text
    assert "d: >-\n  folded\n  text\n" in rendered.text
    assert rendered.lost == [(8, "# lead of second")]
    assert not rendered.rewritten


def test_header_replaces_an_older_one_below_the_schema_line():
    text = "# yaml-language-server: $schema=x\n# safesocial import: old\n# mine\na: 1\n"
    doc = reads_back(text)
    rendered = yamledit.render(
        yamledit.scan(text, doc), {"a": 2}, ["# safesocial import: new"], "t.yaml"
    )
    assert rendered.text == (
        "# yaml-language-server: $schema=x\n# safesocial import: new\n# mine\na: 2\n"
    )


def test_a_flow_document_is_written_afresh_and_says_so():
    text = "# top\n{a: 1, b: [1, 2]}  # end\n"
    doc = reads_back(text)
    rendered = yamledit.render(yamledit.scan(text, doc), {"a": 2, "b": [1, 2]}, [], "t.yaml")
    assert rendered.rewritten and rendered.text.startswith("# top\n")
    assert rendered.lost == [(2, "# end")]
    assert yamlwrite.same({"a": 2, "b": [1, 2]}, reads_back(rendered.text))


# --- The property: any account file, any export, and nothing typed by hand is lost ----

NAMES = st.from_regex(r"[a-z][a-z0-9_.]{0,8}", fullmatch=True)
CATEGORIES = st.sampled_from(["parent", "pupil", "staff", "governor", "organisation", "unknown"])
HAND = st.fixed_dictionaries(
    {},
    optional={
        "category": CATEGORIES,
        "pupil": st.from_regex(r"P[0-9]{3}", fullmatch=True),
        "note": st.text(max_size=30),
        "approval": st.fixed_dictionaries(
            {"form": st.text(min_size=1, max_size=10)}, optional={"approved_by": st.just("S001")}
        ),
        "nickname": st.text(max_size=10),  # a key no schema knows: kept all the same
    },
)
EXTRA_TOP = st.dictionaries(
    st.sampled_from(["notes", "bio", "purpose", "my_key", "posts"]),
    st.one_of(
        st.text(max_size=40),
        st.lists(
            st.dictionaries(st.sampled_from(["id", "caption"]), st.text(max_size=10), min_size=1),
            max_size=2,
        ),
    ),
    max_size=3,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    platform=st.sampled_from(["instagram", "x"]),
    followers=st.lists(st.tuples(NAMES, HAND), max_size=8, unique_by=lambda t: t[0]),
    keep=st.lists(st.booleans(), min_size=8, max_size=8),
    shout=st.lists(st.booleans(), min_size=8, max_size=8),
    newcomers=st.lists(NAMES, max_size=4),
    extra=EXTRA_TOP,
    flow=st.sampled_from([None, True, False]),
    comments=st.booleans(),
)
def test_any_account_and_any_export_keep_the_hand_fields(
    platform, followers, keep, shout, newcomers, extra, flow, comments
):
    # On X an entry is its id (its typed handle may be out of date: a renamed account);
    # on Instagram it is its handle, in any case.
    ident = {name: str(1000 + n) for n, (name, _) in enumerate(followers)}
    typed = [
        {**({"id": ident[name]} if platform == "x" else {}), "handle": f"@{name}", **hand}
        for name, hand in followers
    ]
    doc = {
        "platform": platform,
        "handle": "@exampleschool",
        "kind": "official",
        **extra,
        "followers": typed,
    }
    text = yaml.safe_dump(
        doc, default_flow_style=flow, sort_keys=False, allow_unicode=True, width=1000
    )
    commented = comments and not text.startswith("{")  # a flow document has no lines to keep
    if commented:
        lines = text.splitlines(keepends=True)
        text = "".join(
            f"# about {line.split(':')[0]}\n{line}" if line[:1].isalpha() else line
            for line in lines
        )
    original = reads_back(text)
    staying = [name for (name, _), k in zip(followers, keep, strict=False) if k]
    arriving = list(dict.fromkeys(n for n in newcomers if n not in ident))
    if platform == "x":
        exported = [ident[n] for n in staying] + [str(5000 + n) for n in range(len(arriving))]
        files = build.x_archive(followers=exported, username="exampleschool")
        key = "id"
    else:
        # The export may change a handle's case; it is still the same account.
        exported = [n.upper() if s else n for n, s in zip(staying, shout, strict=False)]
        exported += arriving
        files = build.instagram(followers=exported, pending=None)
        key = "handle"
    fmt = "x-archive" if platform == "x" else "instagram"
    with tempfile.TemporaryDirectory() as tmp:
        account = Path(tmp) / "main.yaml"
        account.write_text(text, encoding="utf-8")
        export = build.write(files, Path(tmp) / "export-2024-03-05", True)
        run_import(fmt, str(export), str(account))
        first = account.read_bytes()
        merged = reads_back(first.decode("utf-8"))
        run_import(fmt, str(export), str(account))
        assert account.read_bytes() == first  # the second import changes nothing

    untouched = (
        "followers",
        "following",
        "outgoing_requests",
        "observed_on",
        "source",
        "protected",
    )
    for name in original:
        if name not in untouched:
            assert yamlwrite.same(original[name], merged[name]), name
    by_key = {norm_handle(str(f[key])): f for f in merged.get("followers") or []}
    for entry, (name, _) in zip(original["followers"], followers, strict=True):
        found = by_key.get(norm_handle(str(entry[key])))
        if name in staying:
            assert found is not None and yamlwrite.same(entry, found)  # every hand field
        else:
            assert found is None
    assert all(norm_handle(str(e)) in by_key for e in exported)
    if commented:
        for name in original:
            assert f"# about {name}\n" in first.decode("utf-8")
