"""Language codes accepted in package metadata and on the command line.

Argos metadata uses ISO 639-1 codes where one exists and ISO 639-3 codes
otherwise, plus two of its own (``zt`` Traditional Chinese, ``pb`` Brazilian
Portuguese).  Two-letter codes are checked against the full ISO 639-1 list;
three-letter codes by shape only (the ISO 639-3 register has ~7,900 entries,
too many to ship for a check whose job is to keep ``xx``, ``en/../../x`` or
``['en']`` out of folder names, messages and cache keys).
"""

from __future__ import annotations

import re

_ISO_639_1_CODES = """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho
    hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv
    kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr
    nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq
    sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh
    yi yo za zh zu"""

ISO_639_1 = frozenset(_ISO_639_1_CODES.split())

#: Argos Translate's own two-letter codes
ARGOS_EXTRA = frozenset({"zt", "pb"})

_ISO_639_3_SHAPE = re.compile(r"[a-z]{3}")


def is_language_code(code: object) -> bool:
    """True for an ISO 639-1 code, an ISO 639-3-shaped code, or Argos's extras."""
    if not isinstance(code, str):
        return False
    if len(code) == 2:
        return code in ISO_639_1 or code in ARGOS_EXTRA
    return bool(_ISO_639_3_SHAPE.fullmatch(code))
