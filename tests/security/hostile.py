"""Hostile input for the bad-input tests: hypothesis strategies and a fixed corpus of the classic
cases, and the encoding of such text into a raw query string that the test client passes on as is."""

from urllib.parse import quote

from hypothesis import strategies as st

MAX_LENGTH = 100_000  # the "100 KB strings"

C0_CONTROLS = [chr(code) for code in range(0x20)] + ["\x7f"]
C1_CONTROLS = [chr(code) for code in range(0x80, 0xA0)]
# Direction marks and overrides, isolates, zero-width characters, the byte-order mark, soft hyphen,
# line and paragraph separators: invisible characters that reorder or hide text.
INVISIBLE_MARKS = [
    "\u200e",
    "\u200f",
    "\u061c",
    *(chr(code) for code in range(0x202A, 0x202F)),
    *(chr(code) for code in range(0x2066, 0x206A)),
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u2028",
    "\u2029",
]
LONE_SURROGATES = ["\ud800", "\udbff", "\udc00", "\udfff"]
QUERY_SYNTAX = list("&=?#%+;[]{}\"'<>\\/ ")

# Percent-escapes that decode to no valid UTF-8, to NUL, to overlong forms and to a surrogate's
# bytes; broken escapes; written into the query string as they are (never re-encoded).
RAW_QUERY_JUNK = [
    "%",
    "%%",
    "%zz",
    "%0",
    "%00",
    "%C0%AF",
    "%C0%80",
    "%ED%A0%80",
    "%F4%90%80%80",
    "%FF%FE",
    "%E2%80%AE",
    "%EF%BB%BF",
    "%0D%0ASet-Cookie:%20x=1",
    "%2e%2e%2f",
]

# The classic cases, one string each: every control character, the invisible marks, lone
# surrogates, markup, quotes, CR/LF before a header line.
MIXED = (
    "abc\x00def"
    + "".join(C0_CONTROLS + C1_CONTROLS + INVISIBLE_MARKS + LONE_SURROGATES)
    + "<script>alert(1)</script>\"'\r\nSet-Cookie: injected=1 ../../etc/passwd ' OR 1=1 --"
)
# The fixed corpus every parameter of every URL gets, whatever hypothesis draws (kept short: each
# value is one request per URL).
CORPUS = [
    MIXED,
    (MIXED * (MAX_LENGTH // len(MIXED) + 1))[:MAX_LENGTH],
    "\x00",
    '"',
    "9" * 5000,  # more digits than Python converts to int by default
    "-1",
    "\uff11\uff12",  # full-width digits: int() accepts them
]
# More single values for hypothesis to draw from.
SINGLES = ["*", "'", "\\", "1e309", "0x1F", " ", "\u202eevil", "\ufeff1", "NaN", "-0", "2147483648"]

hostile_characters = st.one_of(
    st.characters(codec=None),  # any code point, surrogates included
    st.sampled_from(C0_CONTROLS + C1_CONTROLS + INVISIBLE_MARKS + LONE_SURROGATES + QUERY_SYNTAX),
)


@st.composite
def long_text(draw) -> str:
    """A piece of hostile text repeated up to MAX_LENGTH characters (drawing 100 KB character by
    character would make every example slow)."""
    piece = draw(st.text(hostile_characters, min_size=1, max_size=8))
    size = draw(st.integers(min_value=1_000, max_value=MAX_LENGTH))
    return (piece * (size // len(piece) + 1))[:size]


hostile_text = st.one_of(
    st.text(hostile_characters, max_size=60),
    st.text(max_size=30),  # hypothesis's own mix of every Unicode category
    st.sampled_from(CORPUS + SINGLES),
    long_text(),
    st.integers().map(str),
)


def encode(text: str) -> str:
    """Percent-encode text for a query string; lone surrogates become the bytes a careless encoder
    would send (invalid UTF-8), as a real client can."""
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


@st.composite
def query_value(draw) -> str:
    """One already-encoded query-string value: encoded hostile text, or raw junk escapes."""
    if draw(st.integers(min_value=0, max_value=4)) == 0:
        return "".join(draw(st.lists(st.sampled_from(RAW_QUERY_JUNK), min_size=1, max_size=4)))
    return encode(draw(hostile_text))


def query_string(params: dict[str, list[str]]) -> str:
    """Already-encoded values joined as a query string, a parameter repeated once per value."""
    return "&".join(f"{name}={value}" for name, values in params.items() for value in values)
