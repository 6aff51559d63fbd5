"""Lines of page furniture recognised by their words, in the languages the corpora show
(English, German, French, Spanish, Italian, Polish): photo credits, ad labels, "you might
also like" headings, app and support calls, affiliate disclosures, CMS footers.

Kept as data beside selectors.py's English-first patterns. Each matches a whole short line
(body.py drops the block) or, for TAIL_CALL, a line closing the article.
"""

from __future__ import annotations

import re

# A whole line that is furniture wherever it stands.
FURNITURE = re.compile(
    r"^(?:"
    # ad labels: "- Anzeige -", "*Werbung. Dieser Beitrag enthält Werbung für …"
    r"\W*(advertisement|anzeige|werbung|publicité|publicidad|pubblicità|reklama|gesponsert|sponsored)\W*"
    r"|\W*(werbung|anzeige)\s*[.:]\s*(dieser|der) (beitrag|artikel) enthält .{0,120}"
    # photo credits: "Foto: Jane Doe", "Crédits photos : Agence", "Titelbild: …", "Fuente: …"
    r"|(fotos?|foto\(s\)|bild(quelle)?|titelbild|beitragsbild|headerbild|symbolbild|quelle|crédits? photos?|photos?"
    r"|crédito|fuente|fonte|zdjęcie|źródło)\s*:\s*.{1,80}"
    # boxes of other stories and their headings
    # (labels alone: "Lire aussi : <a>…</a>" is a teaser link, read as a related link)
    r"|(das )?(thema )?könnte (dich|sie|euch) auch interessieren\W*|lesen sie (auch|mehr)( die folgenden \w+)?\W*"
    r"|empfohlene (beiträge|artikel|inhalte)\W*|empfohlener redaktioneller inhalt\W*"
    r"|mehr (zum thema|kolumnen|artikel|beiträge|news)\b.{0,40}|weiterführende(r)? (link|links|artikel)\W*"
    r"|vorschau auf den nächsten artikel\W*|(das|dies) (könnte|dürfte) (dich|sie) auch interessieren\W*"
    r"|über (den autor|die autorin|uns)\W*|(à )?lire (aussi|également)\W*|voir aussi\W*"
    r"|(también )?te puede interesar\W*|lee también\W*|leggi anche\W*"
    r"|zobacz (też|także|również)\W*|czytaj (też|także|również|więcej)\W*"
    # taxonomy and counters
    r"|(kategorie|kategorien|catégories?|categoría|categorie|schlagwörter|schlagworte|stichwörter)\s*:.{0,100}"
    r"|kommentare( insgesamt)?\s*:?\s*\d*|\d+\s+kommentare?|commentaires?\s*:?\s*\d*"
    # follow us
    r"|(s[ií]guenos|folge uns|folgt uns|suivez-nous|seguici)\b.{0,120}"
    r")$",
    re.IGNORECASE,
)

# A photo caption closed by its credit: "… Ski star Marco Odermatt. © AFP / MARCO BERTORELLO".
CREDIT_END = re.compile(r"(©|\(c\))\s*[\w .&/-]{2,60}$", re.IGNORECASE)
# "… scissor switch keyboard via iFixit", "… (Photo by Jane Doe)": an image's source, on a
# short line that does not end like a sentence ("… delivered via Royal Mail." does).
VIA_CREDIT = re.compile(r"\s\(?(via|courtesy of|photo by|image by|foto von)\s(?-i:[a-z]*[A-Z])[\w .&/-]{0,40}\)?$", re.IGNORECASE)

# Calls closing the article: apps, support, donations, newsletters, CMS "posted on" footers.
TAIL_CALL = re.compile(
    r"\bapps? (for|on) (ios|android|iphone)\b|\bstraight to your phone\b|\bdownload (the|our) [\w -]{0,30}apps?\b"
    r"|^unterstütze\b|^unterstützen sie\b|\bspende\b.{0,40}\bhilft\b|\bwould you consider supporting\b"
    r"|\bsupport (our|independent) (work|journalism)\b|^(tú también puedes|hacemos periodismo)\b"
    r"|\b(posteingang|boîte de réception|bandeja de entrada)\b"
    r"|^(this entry was posted|der beitrag wurde am|dieser beitrag wurde am|dieser eintrag wurde)\b"
    # agency credits and coverage calls: "Reporting by …; Editing by …", "Follow AP's coverage at …"
    r"|^(additional )?(reporting|writing|editing|compiled) by\b|^follow\b.{0,60}\bcoverage\b"
    r"|^listen (to|back|live)\b.{0,80}\b(live|here|podcast|weekdays)\b",
    re.IGNORECASE,
)

# Affiliate and review disclosures, wherever they stand (short lines only).
DISCLOSURE = re.compile(
    r"advertisers do not influence|we may (receive|earn) (a )?(small )?(commission|compensation)"
    r"|contains? affiliate links|affiliate links? (in|on) this|enthält (affiliate|werbe)-?links|provisions-links",
    re.IGNORECASE,
)


def is_furniture(text: str, lowered: str | None = None) -> bool:
    """Whether a short line is one of the furniture lines above. `lowered` is text.lower()
    when the caller already has it (body.py lowers each short line once for all its checks)."""
    if FURNITURE.match(text) is not None:
        return True
    if lowered is None:
        lowered = text.lower()
    # Cheap substring gates before the patterns that scan the whole line.
    # (Chains of "in" tests: several times cheaper than any() over a tuple of words.)
    if (
        "advertis" in lowered
        or "commission" in lowered
        or "compensation" in lowered
        or "affiliate" in lowered
        or "links" in lowered
    ) and DISCLOSURE.search(text) is not None:
        return True
    if len(text) < 200 and ("©" in text or "(c)" in lowered) and CREDIT_END.search(text) is not None:
        return True
    if len(text) >= 100 or text.endswith("."):
        return False
    return (
        "via " in lowered
        or "courtesy" in lowered
        or "photo by" in lowered
        or "image by" in lowered
        or "foto von" in lowered
    ) and VIA_CREDIT.search(text) is not None
