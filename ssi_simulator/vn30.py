"""The default VN30 basket, so every test and script starts from the same real tickers."""

from __future__ import annotations

DEFAULT_VN30: tuple[str, ...] = (
    "ACB", "BCM", "BID", "BVH", "CTG", "FPT", "GAS", "GVR", "HDB", "HPG",
    "MBB", "MSN", "MWG", "PLX", "POW", "SAB", "SHB", "SSB", "SSI", "STB",
    "TCB", "TPB", "VCB", "VHM", "VIB", "VIC", "VJC", "VNM", "VPB", "VRE",
)  # fmt: skip


def isin_of(symbol: str) -> str:
    """A Vietnamese-style ISIN (``VN000000`` + ticker + Luhn check digit), as SSI lists them."""
    body = ("VN000000" + symbol.upper())[:11].ljust(11, "0")
    digits = "".join(str(int(ch, 36)) for ch in body)
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return body + str((10 - total % 10) % 10)
