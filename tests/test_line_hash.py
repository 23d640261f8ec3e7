"""Tests for ftscan.scan.line_hash (GitHub's primaryLocationLineHash)."""

from __future__ import annotations

import random
import re

import pytest

from ftscan.scan.line_hash import line_hashes, line_hashes_from_bytes

EMPTY_TAIL = "c129715d7a2bc9a3:1"

HELLO_HASHES = [
    "e9496ae3ebfced30:1",
    "fb7c023a8b9ccb3f:1",
    "ce8ba1a563dcdaca:1",
    "e20e36e16fcb0cc8:1",
    "b3edc88f2938467e:1",
    "c8e28b0b4002a3a0:1",
    EMPTY_TAIL,
]

LOREM_HASHES = [
    "a7f2ff13bc495cf2:1",
    "a7f2ff13bc495cf2:2",
    "a7f2ff13bc495cf2:3",
    "a7f2ff13bc495cf2:4",
    "a7f2ff13bc495cf2:5",
    "a7f2ff13bc495cf2:6",
    "a7f2ff1481e87703:1",
    "a9cf91f7bbf1862b:1",
    "55ec222b86bcae53:1",
    "cc97dc7b1d7d8f7b:1",
    EMPTY_TAIL,
]


def reference_line_hashes(text: str) -> list[str]:
    """Compute the hashes one code unit at a time, as the upload action does.

    A direct transcription of the rolling hash, kept deliberately naive so
    that the optimised implementation can be checked against it.
    """
    mask = (1 << 64) - 1
    first_mod = pow(37, 100, 1 << 64)
    encoded = text.encode("utf-16-le", "surrogatepass")
    units = [int.from_bytes(encoded[i : i + 2], "little") for i in range(0, len(encoded), 2)]
    window = [0] * 100
    line_numbers = [-1] * 100
    state = {"hash": 0, "index": 0, "line": 0, "line_start": True, "prev_cr": False}
    counts: dict[str, int] = {}
    out: list[tuple[int, str]] = []

    def output() -> None:
        value = format(state["hash"], "x")
        counts[value] = counts.get(value, 0) + 1
        out.append((line_numbers[state["index"]], f"{value}:{counts[value]}"))
        line_numbers[state["index"]] = -1

    def update(current: int) -> None:
        index = state["index"]
        begin = window[index]
        window[index] = current
        state["hash"] = (37 * state["hash"] + current - first_mod * begin) & mask
        state["index"] = (index + 1) % 100

    def process(current: int) -> None:
        if current in (0x20, 0x09) or (state["prev_cr"] and current == 0x0A):
            state["prev_cr"] = False
            return
        if current == 0x0D:
            current = 0x0A
            state["prev_cr"] = True
        else:
            state["prev_cr"] = False
        if line_numbers[state["index"]] != -1:
            output()
        if state["line_start"]:
            state["line_start"] = False
            state["line"] += 1
            line_numbers[state["index"]] = state["line"]
        if current == 0x0A:
            state["line_start"] = True
        update(current)

    for unit in units:
        process(unit)
    process(0xFFFF)
    for _ in range(100):
        if line_numbers[state["index"]] != -1:
            output()
        update(0)

    assert [number for number, _ in out] == list(range(1, len(out) + 1))
    return [value for _, value in out]


def line_count(text: str) -> int:
    """Count lines the way the upload action's own test does."""
    return len(re.split(r"\r\n|\r|\n", text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("", [EMPTY_TAIL], id="empty"),
        pytest.param(
            " a\nb\n  \t\tc\n d",
            ["271789c17abda88f:1", "54703d4cd895b18:1", "180aee12dab6264:1", "a23a3dc5e078b07b:1"],
            id="short-lines",
        ),
        pytest.param(
            " hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End",
            [
                "8b7cf3e952e7aeb2:1",
                "b1ae1287ec4718d9:1",
                "bff680108adb0fcc:1",
                "c6805c5e1288b612:1",
                "b86d3392aea1be30:1",
                "e6ceba753e1a442:1",
            ],
            id="hello-no-final-newline",
        ),
        pytest.param(" hello; \t\nworld!!!\n\n\n  \t\tGreetings\n End\n", HELLO_HASHES, id="hello-lf"),
        pytest.param(" hello; \t\nworld!!!\r\r\r  \t\tGreetings\r End\r", HELLO_HASHES, id="hello-cr"),
        pytest.param(
            " hello; \t\r\nworld!!!\r\n\r\n\r\n  \t\tGreetings\r\n End\r\n", HELLO_HASHES, id="hello-crlf"
        ),
        pytest.param(" hello; \t\nworld!!!\r\n\n\r  \t\tGreetings\r End\r\n", HELLO_HASHES, id="hello-mixed"),
        pytest.param("Lorem ipsum dolor sit amet.\n" * 10, LOREM_HASHES, id="repeated-lines"),
        pytest.param(
            "x = 2\nx = 1\nprint(x)\nx = 3\nprint(x)\nx = 4\nprint(x)\n",
            [
                "e54938cc54b302f1:1",
                "bb609acbe9138d60:1",
                "1131fd5871777f34:1",
                "5c482a0f8b35ea28:1",
                "54517377da7028d2:1",
                "2c644846cb18d53e:1",
                "f1b89f20de0d133:1",
                EMPTY_TAIL,
            ],
            id="python-snippet",
        ),
    ],
)
def test_known_vectors(text: str, expected: list[str]) -> None:
    assert line_hashes(text) == expected
    assert reference_line_hashes(text) == expected
    assert len(expected) == line_count(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # U+1F600 is two UTF-16 code units.
        pytest.param(
            "\U0001f600 x\n\tb\U0001f600c\n",
            ["7758eb38155aa9c6:1", "ec7b94f7e79d688b:1", EMPTY_TAIL],
            id="emoji",
        ),
        # 60 * (1 + 2) = 180 code units: the first line's window holds only
        # line 1.  Counting U+10348 as one unit would pull in "\nend".
        pytest.param(
            "a\U00010348" * 60 + "\nend",
            ["678da0e91e0132e6:1", "43b6461eda086fe2:1"],
            id="window-boundary",
        ),
    ],
)
def test_characters_outside_the_bmp_count_as_two_code_units(text: str, expected: list[str]) -> None:
    assert line_hashes(text) == expected
    assert reference_line_hashes(text) == expected


@pytest.mark.parametrize(
    "text",
    ["\r", "\n", "\r\n", "\r \n", "\r\t\n", "\r\r\n", "\n\r", "a\r\n\r\nb", "a\r \nb\r\n\tc"],
)
def test_line_break_handling_matches_reference(text: str) -> None:
    hashes = line_hashes(text)
    assert hashes == reference_line_hashes(text)
    # A space or tab between CR and LF does not merge them into one break.
    assert len(hashes) == text.count("\n") + text.count("\r") - text.count("\r\n") + 1


def test_spaces_and_tabs_do_not_matter() -> None:
    assert line_hashes("def f(x):\n    return x\n") == line_hashes("deff(x):\n\treturn\t\tx \n")


def test_random_text_matches_reference() -> None:
    rng = random.Random(20240611)
    pieces = [
        "a",
        "Z",
        "0",
        " ",
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\u00e9",
        "\u0a41",
        "\u0100",
        "\uffff",
        "\U0001f600",
        "\ud800",
        "x" * 40,
        "    ",
    ]
    for _ in range(200):
        size = rng.choice([1, 3, 10, 50, 120, 400])
        text = "".join(rng.choice(pieces) for _ in range(size))
        assert line_hashes(text) == reference_line_hashes(text), repr(text)


def test_long_input_spanning_several_chunks_matches_reference() -> None:
    rng = random.Random(7)
    lines = []
    for _ in range(6000):
        indent = " " * rng.randrange(12)
        body = "".join(rng.choice("abc(){}=+\U0001f600") for _ in range(rng.randrange(60)))
        lines.append(indent + body)
    text = "\r\n".join(lines) + "\n" + "y" * 5000 + "\n" * 3
    hashes = line_hashes(text)
    assert len(hashes) == line_count(text)
    assert hashes == reference_line_hashes(text)


def test_duplicate_lines_are_numbered_in_order() -> None:
    hashes = line_hashes(("same\n" + "z" * 200 + "\n") * 3)
    same, zeds = hashes[0:6:2], hashes[1:6:2]
    assert [value.split(":")[1] for value in same] == ["1", "2", "3"]
    assert [value.split(":")[1] for value in zeds] == ["1", "2", "3"]
    assert len({value.split(":")[0] for value in same}) == 1
    assert len({value.split(":")[0] for value in zeds}) == 1


def test_from_bytes_decodes_like_the_upload_action() -> None:
    assert line_hashes_from_bytes(b" a\nb\n  \t\tc\n d") == line_hashes(" a\nb\n  \t\tc\n d")
    # A byte order mark stays part of the first line.
    assert line_hashes_from_bytes(b"\xef\xbb\xbfx\n") == line_hashes("\ufeffx\n")
    assert line_hashes_from_bytes(b"\xef\xbb\xbfx\n")[0] != line_hashes("x\n")[0]
    # Malformed UTF-8 becomes U+FFFD, one per maximal invalid sequence.
    assert line_hashes_from_bytes(b"a\xffb\xe2\x82\n") == line_hashes("a\ufffdb\ufffd\n")


def test_the_first_lines_alone_hash_as_in_the_whole_file() -> None:
    """A file's findings need the hashes up to their last line only: the same values and
    counts as the whole file's, with duplicates before and windows running past the cut."""
    rng = random.Random(11)
    lines = [rng.choice(["same", "x" * 150, "", "\tb\U0001f600", "other line"]) for _ in range(3000)]
    text = "\n".join(lines) + "\n"
    whole = line_hashes(text)
    for count in (0, 1, 2, 7, 1499, 2999, 3000, 3001, 5000):
        assert line_hashes(text, count) == whole[:count]
    data = text.encode()
    assert line_hashes_from_bytes(data, 40) == whole[:40]
