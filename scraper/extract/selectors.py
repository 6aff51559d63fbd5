"""CSS selectors, class-name patterns and word lists the extractor uses, kept as data.

Everything here is generic: words that page builders everywhere use for the same widgets
("comment", "share", "related", ...), never one site's names.
"""

from __future__ import annotations

import re

# Elements that never hold article text.
JUNK_TAGS = """script style template svg canvas iframe object embed button input select
    textarea label option video audio map dialog link meta head figcaption
    amp-ad amp-analytics amp-sidebar amp-social-share amp-consent amp-iframe amp-sticky-ad amp-embed""".split()  # noqa: SIM905 - word lists read best as text
# Page furniture; removed unless it turns out to hold the article itself (some themes wrap
# everything in <form> or <header>).
STRUCTURAL_TAGS = "nav, footer, aside, form, header, menu"
HIDDEN = (
    '[hidden], [aria-hidden="true"], [style*="display:none"], [style*="display: none"], [style*="visibility:hidden"], '
    '[style*="visibility: hidden"]'
)
# Utility classes that hide an element; with a responsive display class beside them
# ("hidden md:block") the element shows on wider screens and is kept.
HIDDEN_CLASS = ".hidden, .d-none, .is-hidden, .u-hidden"
RESPONSIVE_SHOW = re.compile(r":(block|flex|grid|inline|table)|\bd-\w+-(block|flex|grid|inline|table)")

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# class/id words of widgets that are never the article. A class string matches when one of
# its tokens (split on space, "-" and "_") is in BOILERPLATE_TOKENS, or when it contains one of
# the longer, unambiguous BOILERPLATE_PARTS anywhere (camelCase names: "shareBar").
BOILERPLATE_TOKENS = frozenset(
    """comment comments commentlist disqus share shares sharing social related sidebar promo
        promos newsletter subscribe subscription donate donation patreon disclaimer vote votes voting rating
        ratings reaction reactions byline tags tag taglist breadcrumb breadcrumbs cookie cookies consent
        gdpr sponsor sponsored popup masthead footer menu navbar nav navigation pagination pager signup
        outbrain taboola recommend recommended recommendations trending popular login recirc
        hashtag hashtags toolbar newsletters follow bio author-bio authorbio caption cta noprint""".split()  # noqa: SIM905 - word lists read best as text
)
# Names that describe parts of an article as often as widgets ("teaser-text" is a standfirst,
# "widget Blog" is Blogger's post column, "paywall-on" marks the article itself, "print-step"
# a recipe step): such an element is removed only when it is a link list.
WEAK_TOKENS = frozenset(
    """widget widgets teaser teasers credit credits meta print ad ads adsense adslot advert
        advertisement paywall timestamp dateline date published updated cta tools toc category categories
        keywords topics""".split()  # noqa: SIM905 - word lists read best as text
)


def literal_trie(words: list[str]) -> re.Pattern[str]:
    """One regex matching any of the literal words, factored by prefix ("s(?:hare|ocial)").
    Python's re tries alternatives one by one at every position; the factored form
    rejects most positions on the first character, which makes class-name checks ~3x faster."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = []
        optional = "" in node
        for char, child in sorted(node.items()):
            if char:
                branches.append(re.escape(char) + build(child))
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if optional else body

    return re.compile(build(trie))


# Substrings of lower-cased class/id strings that name widgets (camelCase too: "sharebar").
BOILERPLATE_PART_WORDS = (
    """comment disqus discuz share social related sidebar newsletter subscri patreon breadcrumb
        outbrain taboola authorbio author-bio author_bio authorbox author-box author-card author-info
        author-details author-profile aboutauthor about-the-author readmore read-more alsoread also-read
        seealso see-also morestories more-stories screen-reader sr-only skip-link followus follow-us signup
        sign-up recommend trending cookie consent promo footer masthead navbar navigation pagination
        byline donat reaction rating disclaimer sponsor popup caption print-none no-print hidden-print print-block print-only printonly""".split()  # noqa: SIM905 - word lists read best as text
)
BOILERPLATE_PARTS = literal_trie(BOILERPLATE_PART_WORDS)
WEAK_PART_WORDS = ["widget", "paywall", "advert"]
WEAK_PARTS = literal_trie(WEAK_PART_WORDS)
# Widgets that never wrap an article, however much text they hold: comment threads, cookie
# and consent banners, sign-in and newsletter pop-ups. ("commentary" is an opinion piece.)
COMMENT_NAME = re.compile(r"comment(?!ar)|disqus|discuz|cookie|consent|gdpr|cmplz|newsletter|login|popup|modal")


# Embedded posts (tweets, Instagram) are part of the story even inside "social-embed" wrappers.
EMBED = re.compile(r"embed|tweet|instagram-media|tiktok-embed")


# Words that mark the article container itself; a match on both sides is not removed
# unless it is small.
CONTENT_HINT = re.compile(r"article|content|entry|main|post-?body|story|text|body|blog")  # on lower-cased names

# Short lines that are furniture even inside the article text.
FURNITURE_LINE = re.compile(
    r"^(advertisement|advertising|anzeige|publicité|sponsored|share( this)?:?|tweet|email|print"
    r"|read more|continue reading( below)?|read next|related( articles| stories| posts)?:?|see also:?|also read:?"
    r"|more from .{0,40}|you may also like|recommended( for you)?|click here.{0,40}|subscribe.{0,60}"
    r"|sign up.{0,60}|follow us.{0,40}|comments?|leave a (comment|reply)|image:.*|photo:.*|getty images"
    r"|\(?(photo|image|credit|source):? .{0,60}\)?|image (copyright|caption).{0,80}|\d+\s*min(ute)?s? read"
    r"|view this post on instagram|a post shared by .{0,80}|(story )?continues? (below|after).{0,30}"
    r"|scroll (down )?to continue.{0,30}|skip (to|this).{0,30}|(watch|listen): .{0,60}|video|audio|gallery"
    r"|(filed|posted) (under|in):? .{0,80}|tags?: .{0,120}|categor(y|ies): .{0,80}|related \w+: .{1,60}"
    r"|back to (top|gallery|article|story|home|overview))$",
    re.IGNORECASE,
)
# A photo caption set as a paragraph: agency style ("In this May 1, 2019, file photo, ...") or
# ending in the agency credit ("... (AP Photo/Jane Doe)", "(NASA via AP, File)").
CAPTION_LINE = re.compile(
    r"^in this [^!?]{0,80}\b(photo|image|picture|handout)\b"
    r"|\((?:[^()]{0,60}\b)?(?-i:AP|AFP|Reuters|EPA|dpa|Getty Images)\b(?: Photo)?[^()]{0,40}\)$",
    re.IGNORECASE,
)
# "Jane Doe is a staff writer at …" closing the text: an author bio, not the story.
AUTHOR_BIO = re.compile(
    r"^[^\W\d_][\w.'’ -]{2,50} (is|was|has been) (an? |the )?([\w'’-]+ ){0,3}"
    r"(writer|reporter|correspondent|editor|journalist|columnist|contributor|author|curator|producer)\b",
    re.IGNORECASE,
)

# Lines that close an article page but are not the article: contact notes, tips, newsletter,
# membership and support calls. Only trailing ones are dropped (see body.py).
TAIL_LINE = re.compile(
    r"\b(may|can) be (reached|contacted) at\b|^have a (news )?tip\b|^(got|have) a story\b"
    r"|^(contact|email|e-mail) (the author|us|the newsroom)\b|^subscribe to\b|^support (us|our)\b"
    r"|\b(inbox|sign up|subscribe)\b.{0,60}\bnewsletters?\b|\bnewsletters?\b.{0,60}\b(inbox|sign up|subscribe)\b"
    r"|\bwe(?:'|’)?d (like|love) to hear (from you|what you think)\b"
    r"|\b(comments?|comentários|comentarios|kommentare|commentaires)\b.{0,80}\b(moderat|approv|aprovad|freigeschaltet)"
    r"|^follow\b.{0,80}\b(on|auf|sur|en) (facebook|twitter|instagram)\b"
    r"|^become a (member|subscriber|supporter)\b|^(this|the) (article|story|content) (is|was) (for|available to) (subscribers|members)",
    re.IGNORECASE,
)

# A notice that the rest of the story is for subscribers: the article's text ends there.
PAYWALL_LINE = re.compile(
    r"^(to (read|view|continue)( reading)? (the|this) (full|whole|entire|rest of the) (story|article)"
    r"|(please )?subscribe (now )?to (read|continue|view|keep reading)"
    r"|(this|the) (article|story|content) is (only )?(for|available to|reserved for|exclusive to) (paying )?(subscribers|members)"
    r"|you (have|’ve|'ve) reached (your|the) (limit|maximum|monthly|free)"
    r"|(if )?you(’re|'re| are) (already a subscriber|seeing this message)"
    r"|already (a subscriber|have an account)\W"
    r"|(cet|cette) (article|contenu) est réservée? aux abonnés|la suite (de cet article )?est réservée aux abonnés"
    r"|este (contenido|artículo) es exclusivo para (suscriptores|socios)"
    r"|(dieser artikel|der vollständige artikel|dieser inhalt) ist (nur )?(für|exklusiv für) (abonnenten|abonnentinnen|plus-)"
    r"|gleich können sie weiterlesen|jetzt weiterlesen mit|weiterlesen mit (dem |unserem )?\w*[- ]?abo)",
    re.IGNORECASE,
)
# Labels that introduce a teaser link; they are UI text, not part of the linked title.
TEASER_LABEL = re.compile(
    r"^(read more|read also|also read|read next|related|related article|related story|related post|see also"
    r"|more|more from [^:]{1,40}|recommended|don't miss|do not miss|watch|listen|previous( post| article)?"
    r"|next( post| article)?|lire aussi|à lire aussi|voir aussi|lesen sie auch|mehr zum thema|auch interessant"
    r"|читайте также)\s*[:»>|\-–—]*\s*",
    re.IGNORECASE,
)
# Headings of boxes that send readers to other articles.
RELATED_HEADING = re.compile(
    r"^(related|read more|read next|see also|also read|more from|more on|more in|you (may|might) also like"
    r"|recommended|further reading|more stories|lire aussi|à lire aussi|voir aussi|lesen sie auch"
    r"|mehr zum thema|weitere artikel|читайте также)",
    re.IGNORECASE,
)
RELATED_BOX = re.compile(
    r"related|read-?more|see-?also|also-?read|more-?from|post-?nav|nav-?(previous|next)|prev-?next"
)
PREV_NEXT_LABEL = re.compile(
    r"^\s*(«|»|‹|›|←|→|<|>)?\s*(previous|next|prev|older|newer)( post| article| story| entry)?\s*[:»«‹›←→<>]*\s*",
    re.IGNORECASE,
)

# Headings after which a page has only reader comments left.
COMMENT_HEADING = re.compile(
    r"^(\d+\s+)?(comments?|responses?|replies|reader comments|leave a (comment|reply)|join the (discussion|conversation)"
    r"|discussion|post a comment|kommentare|kommentar schreiben|commentaires|réagissez|комментарии)\b",
    re.IGNORECASE,
)
# Lines of vote and comment widgets, recognised by their shape on pages with no class names:
# from the first of them on, only reader reactions follow.
COMMENT_WIDGET_LINE = re.compile(
    r"^(what do you think\??|\d+ points?|upvote|downvote|upvote downvote|notify of|inline feedbacks"
    r"|view all comments|load more comments|\d+ (comments?|responses?|replies)|log ?in to (reply|comment)"
    r"|be the first to comment\W*|leave a (comment|reply)\W*|join the (discussion|conversation)\W*)$",
    re.IGNORECASE,
)
# A time stamp on its own line, as live blogs print them ("10:42 GMT", "9.15am").
TIME_LINE = re.compile(
    r"^(\d{1,2}[:.]\d{2}\s*(am|pm|a\.m\.|p\.m\.)?\s*([A-Z]{2,4})?|\d+\s+(min|mins|minutes|hours?|hrs?)\s+ago)$",
    re.IGNORECASE,
)

# A short line opening like this, or carrying a reading time, is the page's byline/date stamp.
BYLINE = re.compile(
    r"^(by|von|par|por|di|door|av|af|автор|posted (?:on|by)|published (?:on|by)|written by|updated on)\s"
    r"|\b\d+\s*min(?:ute)?s?\s+(?:read|de lecture|Lesezeit)\b",
    re.IGNORECASE,
)

# Donation, subscription and disclaimer boilerplate that sites paste inside the article.
_PROMO_TRIGGERS = (
    "patreon",
    "patron",
    "help us",
    "donat",
    "subscri",
    "sign up",
    "newsletter",
    "opinion",
    "necessarily",
    "solely",
    "rights reserved",
    "click here",
    "has been updated",
    "was updated",
    "was published",
    "contributed to this",
)


def may_be_promo(lowered: str) -> bool:
    """Whether a lowered line holds one of _PROMO_TRIGGERS, spelled as a chain of `in` tests:
    several times cheaper than any() over a generator, and it runs on nearly every short line
    (tests/test_extract_speed_body.py holds the chain to the list)."""
    return (
        "patreon" in lowered
        or "patron" in lowered
        or "help us" in lowered
        or "donat" in lowered
        or "subscri" in lowered
        or "sign up" in lowered
        or "newsletter" in lowered
        or "opinion" in lowered
        or "necessarily" in lowered
        or "solely" in lowered
        or "rights reserved" in lowered
        or "click here" in lowered
        or "has been updated" in lowered
        or "was updated" in lowered
        or "was published" in lowered
        or "contributed to this" in lowered
    )


def is_promo(text: str, lowered: str | None = None) -> bool:
    """Donation, subscription and disclaimer boilerplate (cheap substring gate, then the pattern).
    `lowered` is text.lower() when the caller already has it."""
    return may_be_promo(text.lower() if lowered is None else lowered) and PROMO_TEXT.search(text) is not None


PROMO_TEXT = re.compile(
    r"support (us|\w+( \w+)? on patreon)|become a patron|help us grow|donate (now|today)|make a donation"
    r"|subscribe (now|today|to our)|sign up for (our|the)|our newsletter|views (and|or) opinions expressed"
    r"|(do|does) not necessarily (reflect|represent)|solely those of the author|all rights reserved"
    r"|click here to|contributed to this report"
    r"|^subscribe to |^sign up (for|to) ",
    re.IGNORECASE,
)
PREV_NEXT_CLASS = re.compile(r"(^|[\s_-])(prev|previous|next)[-_]?(post|article|story|entry|link)?s?($|\s)")
# Every match of the class/id patterns (BOILERPLATE_PARTS, WEAK_PARTS, COMMENT_NAME,
# CONTENT_HINT, RELATED_BOX, PREV_NEXT_CLASS) holds one of these: a name with none of them
# is judged by its whole-word tokens alone, as two thirds of all names are.
NAME_PARTS = literal_trie(
    BOILERPLATE_PART_WORDS
    + WEAK_PART_WORDS
    + ["comment", "disqus", "discuz", "cookie", "consent", "gdpr", "cmplz", "newsletter", "login", "popup", "modal"]
    + ["article", "content", "entry", "main", "body", "story", "text", "blog"]
    + ["related", "read", "see", "also", "more", "nav", "prev", "next"]
)
TAXONOMY_CLASS = re.compile(
    r"(?<!\S)(tag|tags|category|categories|cat|postid|post-format|format|status|type|topic|pmpro-level|has)-\S*"
)
# A substring every TAXONOMY_CLASS match holds: a quick test that spares most names the full one.
TAXONOMY_GATE = re.compile(r"(?:tags?|categor(?:y|ies)|cat|postid|format|status|type|topic|level|has)-")

# Link texts that are buttons, not articles.
UI_LINK = re.compile(
    r"^(share|tweet|email|print|follow|subscribe|sign up|log ?in|register|view all|see all|load more|show more"
    r"|comments?|reply|download)\b|click(ing)? here|share (this|on|via)|whatsapp|\(\d+\)$",
    re.IGNORECASE,
)
