"""Word lists the quotation and speaker rules use, kept as data.

Everything here is generic English (and a little German, French, Russian) usage: reporting
verbs, titles, the words that make a capitalised run an organisation or a sentence opener.
No names of people: first names come from gender-guesser's generic dictionary.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Reporting verbs in every form a news sentence uses them ("said", "saying", "says", "tweeted").
REPORTING_VERBS = words(
    """say says said saying tell tells told telling add adds added adding write writes wrote writing
    written ask asks asked asking note notes noted noting explain explains explained explaining
    insist insists insisted insisting tweet tweets tweeted tweeting post posts posted posting
    call calls called calling issue issues issued issuing accuse accuses accused accusing
    argue argues argued arguing claim claims claimed claiming declare declares declared declaring
    state states stated stating warn warns warned warning continue continues continued continuing
    conclude concludes concluded concluding reply replies replied replying respond responds responded
    responding recall recalls recalled recalling admit admits admitted admitting acknowledge
    acknowledges acknowledged acknowledging suggest suggests suggested suggesting urge urges urged
    urging stress stresses stressed stressing emphasize emphasizes emphasized emphasizing emphasise
    emphasised observe observes observed observing predict predicts predicted predicting caution
    cautions cautioned confirm confirms confirmed conceded concede concedes conceding joke jokes
    joked joking shout shouts shouted shouting announce announces announced announcing remark
    remarks remarked remarking comment comments commented commenting describe describes described
    describing promise promises promised promising pledge pledges pledged pledging vow vows vowed
    vowing boast boasts boasted boasting complain complains complained complaining testify testifies
    testified testifying report reports reported reporting chant chants chanted chanting praise
    praises praised praising answer answers answered answering assure assures assured assuring
    muse mused quip quips quipped snap snapped crack cracked wonder wonders wondered wondering
    counter counters countered countering yell yelled scream screamed text texted email emailed
    blast blasts blasted slam slams slammed charge charges charged lament laments lamented
    assert asserts asserted asserting contend contends contended maintain maintains maintained
    recount recounts recounted reiterate reiterates reiterated reiterating proclaim proclaimed
    thunder thundered cry cried sigh sighed hail hails hailed mock mocks mocked mocking
    retort retorted predicted reads read declares demand demands demanded demanding
    began begins adds insist explain tweet repeat repeated repeats repeating point pointed
    wrote concede stressed quoted quoting quote quotes cite cites cited citing
    sagte sagt erklärte erklärt betonte betont meinte meint schrieb schreibt fügte warnte kritisierte
    dit déclare affirme explique estime ajoute souligne assure lance confie écrit indique
    сказал сказала заявил заявила отметил отметила сообщил сообщила подчеркнул подчеркнула"""
)
# Forms that are far more often nouns ("a post", "the report", "his remarks") are left out.
REPORTING_VERBS = REPORTING_VERBS - words(
    """post posts comment comments call report reports quote quotes text email answer charge charges
    state states tweet tweets issue issues read reads crack snap point counter cry praise demand demands
    remark remarks promise promises pledge pledges vow vows warning cite"""
)
# French compound past ("a déclaré"): the auxiliary then a participle.
FRENCH_PARTICIPLES = words("déclaré dit affirmé expliqué estimé ajouté souligné assuré lancé confié écrit indiqué")
# Verbs that report only with a particle ("pointed out", "went on").
PHRASAL = {"pointed": "out", "point": "out", "went": "on", "goes": "on", "put": "it"}
# Introducers before a source: "according to X", "selon X", "laut X", "so X" (German, after).
ACCORDING = ("according to", "selon", "laut", "по словам")

# Words that may stand between a subject and its verb ("Trump later said", "she also told").
ADVERBS = words(
    """also later then again once further previously recently earlier simply flatly bluntly quickly
    repeatedly often frequently has have had had been would will could might did does do once
    already still even only just never reportedly privately publicly openly angrily calmly
    sarcastically jokingly immediately initially subsequently finally ultimately similarly
    separately additionally continued went"""
)
PRONOUNS = {"he": "m", "she": "f", "er": "m", "sie": "f", "il": "m", "elle": "f", "он": "m", "она": "f"}
MALE_WORDS = words("he him his himself")
FEMALE_WORDS = words("she her hers herself")

# Titles before a name; the name is what follows the last of them. Gendered ones tell who.
MALE_TITLES = words("mr mr. sir lord king prince herr monsieur m. father fr fr. brother")
FEMALE_TITLES = words("mrs mrs. ms ms. miss lady queen princess frau madame mme mme. dame sister")
TITLES = (
    MALE_TITLES
    | FEMALE_TITLES
    | words(
        """dr dr. prof prof. president vice prime minister general major colonel captain lieutenant
    sergeant admiral ayatollah sheikh imam pope chancellor senator sen sen. rep rep. representative
    reps. sens. gov gov. governor mayor secretary judge justice chief director ceo chairman chairwoman
    spokesman spokeswoman spokesperson foreign defence defense supreme leader commander ambassador
    deputy attorney economist analyst professor coach manager präsident präsidentin bundeskanzler
    bundeskanzlerin kanzler kanzlerin ministre président présidente saint st. lt lt. col col. gen
    gen. sgt sgt. capt capt. maj maj. adm adm. cpl rev rev. speaker congressman congresswoman
    councilman councilwoman councilmember commissioner superintendent sheriff assemblyman
    assemblywoman delegate candidate nominee former then-president vice-president sec. atty.
    lt. gov. pastor bishop rabbi cardinal reverend officer agent detective trooper private
    corporal chairperson president-elect prosecutor counsel treasurer dean provost host anchor
    correspondent columnist editor"""
    )
)
GENDERED_ROLES = {
    "m": words("spokesman chairman congressman councilman assemblyman businessman husband father son brother"),
    "f": words(
        "spokeswoman chairwoman congresswoman councilwoman assemblywoman businesswoman wife mother daughter sister"
    ),
}
# German compounds: Wirtschaftsminister, Bundeskanzlerin, Parteichef, Regierungssprecherin.
TITLE_SUFFIXES = (
    "minister",
    "ministerin",
    "präsident",
    "präsidentin",
    "kanzler",
    "kanzlerin",
    "sprecher",
    "sprecherin",
    "chef",
    "chefin",
    "vorsitzende",
    "vorsitzender",
    "ministre",
    "secrétaire",
)
# A capitalised run with one of these is an organisation (it may speak, but is no "he").
ORG_WORDS = words(
    """corps party ministry council university department organization organisation union nations
    republic kingdom guards news agency court house church association company inc inc. ltd group
    bank times post forces army police committee commission institute foundation center centre club
    team league federation office service services international network networks press college
    school hospital labs technologies systems airlines motors holdings partners capital fund trust
    authority board museum society coalition alliance movement campaign administration senate
    congress parliament government caucus journal tribune herald magazine review daily gazette
    media reuters cnn msnbc abc nbc cbs pac super-pac foundation institution council"""
)
# Capitalised words that are not names: sentence openers, dates, places-of-speech words.
NOT_NAME = words(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday the a an this that these those but and
    or if when while after before today yesterday tomorrow later first then also however moments
    meanwhile it we i you there here what why how in on at for with because yet as both so although
    though since still even only now last next instead despite unlike like without under over about
    asked according once again perhaps maybe indeed his her their our my your its he she they who
    whom whose which one two three some many most all no not none every each other another such
    earlier speaking asked writing in-between during until unless whether where thanks let yes
    well oh sure please mr mrs ms dr sen rep gov god jesus christ lord america american americans
    democrat democrats democratic republican republicans gop liberal liberals conservative
    conservatives independent christian christians muslim muslims jewish black white hispanic latino
    north south east west northern southern eastern western new old great big little federal state
    national islamic supreme united states u.s. u.s u.k. selon laut of from to by
    into onto upon among between likewise transcript amendment otherwise therefore thus hence
    nevertheless nonetheless besides moreover furthermore finally overall sources officials critics
    supporters voters aides experts analysts"""
)
# A word right before a capitalised run that makes it a thing, not a speaker.
NOT_BEFORE_SPEAKER = words("the a an my our your his her their its of for at in on from into to this that by with")
CONNECTORS = words("al- bin ibn de van von der den da di du la le del dos das el")
SUFFIXES = words("jr jr. sr sr. ii iii iv")
# Words before a period that do not end a sentence.
ABBREVIATIONS = words(
    """dr mr mrs ms prof st jr sr gen sen rep gov col lt capt sgt no vs mt ft u.s u.k e.g i.e
    jan feb aug sept sep oct nov dec calif fla ala ariz ark colo conn del ga ill ind kan ky la md
    mass mich minn miss mo mont neb nev okla ore pa tenn tex va vt wash wis wyo inc corp co gov
    sens reps adm maj rev d r i"""
)
# Capitalised words that open the name of a place, not of a person.
PLACE_PREFIXES = words("new north south east west northern southern eastern western los las san santa fort mount lake")
