"""Who did what to whom, read from a parse (``monitor.analysis``).

Every sentence here is written for the test; none comes from an outlet. The
actors are found as the gazetteer would find them (here by name, to test the
analysis layer alone); the parse decides whether they are linked. The cases
are the kinds of error the issue names: visits and joint acts that cue words
miss, co-objects of a third party that cue words link.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import WATCHLISTS

from monitor.analysis import Reading, link_materiel, link_roles, parse_sentence
from monitor.analysis.pipeline import (
    DEFAULT_PIPELINE,
    PipelineError,
    headline_case,
    is_title_case,
    use_pipeline,
)
from monitor.rules.linking import Lexicon

LEFT = [
    "North Korea", "North Korean", "Pyongyang", "Kim Jong Un", "Iran", "Iranian", "Tehran", "India",
    "Indian",
]  # fmt: skip
RIGHT = ["Russia", "Russian", "Moscow", "Vladimir Putin", "Putin", "Kremlin", "China"]
OTHERS = ["United States", "US", "Mongolia", "Japan", "Ukraine", "Belarus", "Syria"]
PEOPLE = {"Kim Jong Un", "Vladimir Putin", "Putin"}

LINKED = [
    # one acts on the other: subject and object or oblique
    ("Putin greets Kim Jong Un at a spaceport in the far east.", "greets"),
    ("Pyongyang is shipping artillery shells to Moscow, officials said.", "shipping"),
    ("The Kremlin vetoed new sanctions on North Korea.", "vetoed"),
    ("North Korean hackers breached a Russian missile maker.", "breached"),
    ("Russia, which backs North Korea at the United Nations, blocked the statement.", "backs"),
    ("North Korean troops fighting for Russia were captured near the border.", "fighting"),
    ("Russia has turned to countries like North Korea for artillery.", "turned"),
    ("The US sanctioned Russian firms for helping North Korea.", "sanctioned"),
    # the matter of a dispute, though the parser hangs "over" from the last name of a list
    ("Western envoys clash with Russia, China over Pyongyang's failed rocket launch.", "clash"),
    # movement or presence in the other's territory or capital
    ("Kim Jong Un arrived in Moscow on Tuesday for talks.", "arrived"),
    ("A North Korean delegation is in Moscow this week.", "is"),
    # the joint subject of a mutual act, or two leaders of any act
    ("Russia and North Korea signed a defence pact on Wednesday.", "signed"),
    ("Kim Jong Un and Putin tour a launch site.", "tour"),
    # two leaders, though the parser reads the second as the first's apposition
    ("North Korea's Kim Jong Un, Russia's Putin Take Common Stance Against Sanctions", "Take"),
    # the members a group names act in it
    (
        "The delegation, including India's foreign minister, was expected to meet with Putin.",
        "expected",
    ),
    (
        "The delegation, including leaders of Japan, India and Mongolia, is expected to meet Putin.",
        "expected",
    ),
    # the subject's own event: its visit to the other, its drills with it
    ("Kim Jong Un inspected weapons during his visit to Russia.", "inspected"),
    # a journey's owner and the place-name before it that says where it goes
    ("Kim Jong Un's Russia trip ended on Sunday.", "trip"),
    # a noun owned by one side and named by the other is the owner's stance or act on it
    ("Kim Jong Un's Russia policy drew criticism from Seoul.", "policy"),
    ("North Korea's Russia stance has hardened.", "stance"),
    ("Russia's North Korea sanctions were lifted.", "sanctions"),
    # a pair of peoples the tagger reads as one people whose first word is a region's
    ("North Korean-Russian trade rebounded in March as border crossings reopened.", "trade"),
    # what one side is said to be, by its bond to the other
    ("North Korea is one of Russia's closest allies.", "is"),
    ("Russia, North Korea's closest ally, dropped its objection on Wednesday.", "ally"),
    # a thing "joint" says is one of both, though no word of relation names it
    ("A joint North Korean-Russian border force patrols the river.", "force"),
    # a headline's attribution after a dash is no part of it ("… pact - KCNA")
    ("Russia, North Korea sign defence pact - KCNA", "sign"),
    ("Russia, North Korea sign defence pact \u2013 KCNA", "sign"),
    # a spaced hyphen after a clause is a dash, though a name follows it
    (
        "Pyongyang is shipping shells to Moscow - White House spokesman Tom Baker told reporters.",
        "shipping",
    ),
    # the people of both, named as "the X of A and B", act as the pair does
    ("The leaders of North Korea and Russia met on Thursday.", "met"),
    ("The defence ministers of Iran and Russia signed a pact.", "signed"),
    ("Leaders from North Korea and Russia vowed closer ties after the summit.", "vowed"),
    # a comma list naming a relation noun, which the parser split into two subjects
    ("Iran, Russia summit must overcome deep mistrust", "summit"),
    # talks between the two, though a preposition of place holds them
    ("Progress was made in the talks between North Korea and Russia.", "talks"),
    # a blow the subject deals is an act on the other
    ("North Korea dealt a blow to Russia with the ban.", "dealt"),
    # a country's name after "in" is a place, not a language
    ("North Korean sailors were detained in Russia.", "detained"),
    (
        "Qatar has acted as a go-between in the negotiations between Iran and Russia.",
        "negotiations",
    ),
    # a relation among a longer list holds between each two of it
    ("Talks between North Korea, Russia and Belarus on rail links collapsed.", "Talks"),
    # a list holding drills holds them together
    ("North Korea, Russia and Belarus hold naval drills.", "hold"),
    ("Iran, Russia and Syria began naval exercises on Monday.", "began"),
    # two leaders acting together on a country's thing
    (
        "Putin and Kim Jong Un denounced Washington's sanctions at the end of their summit.",
        "denounced",
    ),
    # a spaced hyphen between two names is a pair, like "North Korea-Russia"
    ("North Korea - Russia arms deal: what we know", "deal"),
    # a dash typed as a spaced hyphen ends the clause: its attribution is no part of it
    ("India supplied rifles to Russia - US envoy", "supplied"),
    ("India accused of selling rifles to Russia - US envoy", "accused"),
    ("Russia and Iran are in talks over a plan to launch a gold-backed currency.", "are"),
    ("China, Russia and Iran hold joint naval drills in the Gulf of Oman.", "hold"),
    ("Iran, Russia Expand Military Partnership With Jet Deal", "Expand"),
    # what the subject calls or acts for: an infinitive with its own subject after "for"
    ("Russia pushed for North Korea to be spared new sanctions.", "pushed"),
    ("In a joint statement, Iran and Russia called on the Taliban to reopen schools.", "called"),
    # a comma list the parser split into two subjects of a mutual act
    ("Foreign ministers of Iran, Russia meet in Ankara.", "meet"),
    # a headline's future read as a clause on the list: "A and B to …"
    ("Iran and Russia to resume diplomatic relations after years of tension", "resume"),
    # a relation mended or broken, named by its parties
    ("A Russia-Iran truce may calm the region.", "truce"),
    # one brings the other and a third together: it brokers, mediates or hosts their relation
    ("China brokered a deal between Iran and Saudi Arabia.", "brokered"),
    ("Iran and Saudi Arabia agreed to restore ties after talks mediated by China.", "mediated"),
    ("The China-brokered deal between Iran and Saudi Arabia surprised the US.", "brokered"),
    ("Moscow hosted talks between Tehran and Ankara on the future of Syria.", "hosted"),
    ("China played peacemaker between Iran and its Gulf rivals.", "peacemaker"),
    ("China denies any hidden motive after mediating the Iran-Saudi deal.", "mediating"),
    ("China, which brokered the deal between Iran and Saudi Arabia, courts Egypt.", "brokered"),
    # a negotiator of others' deal, and one's role in it
    ("The Russian-negotiated agreement between Iran and Turkey holds.", "negotiated"),
    ("Russia's role in the Iran-Turkey deal worries Washington.", "role"),
    # a dispute over a shared place is a relation
    ("Russia's border dispute with Iran flared again.", "dispute"),
    # a relation noun for the pair, or held by one of them
    ("Talks between Russia and North Korea resumed in the spring.", "Talks"),
    ("Analysts expect closer Moscow-Pyongyang ties after the visit.", "ties"),
    # the typeset pair: an en dash between the two names, unspaced
    ("Can Russia\u2013Iran relations survive the sanctions?", "relations"),
    ("Ukraine's parliament approved sanctions against Russia ally Iran.", "ally"),
    ("Putin says Russia will never abandon its ally Iran.", "ally"),
    # a mutual act in the clause of a noun the pair holds
    ("Tehran and Moscow have shown the will to expand economic ties.", "shown"),
    # a modifier of a place is an actor's own thing; a second object of the actor's act
    ("Tehran is sending parts for the assembly of drones in a Russian factory.", "sending"),
    ("Russia unleashed cruise missiles and Iranian-made drones overnight.", "unleashed"),
    # the subject voices an attitude at the other's act: during, amid or after it, or as
    # it happens
    ("Russia issued a warning during naval drills with Iran in the Gulf.", "issued"),
    ("Moscow voiced concern as Iran and Syria staged joint drills.", "voiced"),
    # a bare participle clause the subject wants to happen (tagged as a past tense or not)
    ("Iranian lawmakers want the Russian envoy recalled over the remarks.", "want"),
    # an adverb of distance carries the verb's own preposition
    ("Iran is not shifting away from Russia, its president said.", "shifting"),
    ("Sanctions are pushing Tehran closer to Moscow.", "pushing"),
    # the subject acts in answer to the other: amid, despite or in the face of an attitude
    # the other holds or is the matter of, or as one grows
    ("India held naval drills with Japan amid worries about China's assertiveness.", "held"),
    ("Iran named new envoys despite strong objections from Russia.", "named"),
    # the parser hangs the circumstance from the object: the act's all the same
    ("Iran opens its airspace amid Russia fury.", "opens"),
    ("India and Japan hold air drills as China concerns grow.", "hold"),
    ("Tehran expanded its drone output in the face of Russian pressure.", "expanded"),
    # a verb that also compares acts on what it takes when that is no side's name
    ("The Russian parliament passed a bill to sanction Iran.", "passed"),
    ("Iranian offices will replace Russian-made cameras.", "replace"),
    ("Iran passed weapons to Russia, officials say.", "passed"),
    # the subject's joint exercise with the other, a member of a list of partners too
    ("Russia will fire a new missile during naval drills with Iran.", "drills"),
    ("Putin to test a missile during war games with China and Iran", "games"),
    # a relation whose purpose acts on the other: each party acts on it
    (
        "The defence pact between Iran and Syria was created to counter Russia in the region.",
        "counter",
    ),
    ("Iran will deepen a partnership aimed at countering Russia.", "countering"),
    ("Biden announces a deal with Japan and Iran to take on Russia", "take"),
    ("Iran and Syria signed a pact to counter Russia's growing influence.", "counter"),
    # a place the recogniser reads at the start of a state body's name is that body's
    ("Iran Tracks Russian Coast Guard Ships Near Its Waters", "Tracks"),
    # the parser hangs the pact's infinitive from the verb above it
    (
        "The talks come a year after the creation of the Iran-Syria pact to counter Russia.",
        "counter",
    ),
    # a mutual act between the two, a call by phone, an encounter
    ("Letters were exchanged between Putin and Kim Jong Un.", "exchanged"),
    ("Iranian and Russian officials spoke by phone on Friday.", "spoke"),
    ("Iranian and Russian ships had a close encounter in the Gulf.", "had"),
    # a verb that is an answer by itself answers what the other does in its clause of time
    ("Russia scrambled jets as Iranian drones approached its border.", "scrambled"),
    ("Tehran protested after a Russian minister visited Baku.", "protested"),
    ("Iran and Russia swapped prisoners in Abu Dhabi.", "swapped"),
    # winning with no word of sport is no game; playing is no win or loss
    ("Russia vowed to defeat Iran's proxies in Syria.", "vowed"),
    (
        "Iranian forward Ali Karimi plays for the first time since leaving prison in Russia in a "
        "preseason match on Friday.",
        "plays",
    ),
    # partners in one exercise, named by a third that holds it, or a list's act in one
    ("China will hold naval drills with Russia and Iran next month.", "drills"),
    ("China plans naval exercises with Russia, Iran", "exercises"),
    ("Russia, Iran and China to simulate air attacks in an exercise", "simulate"),
    # a journey home or back from the other's land; a verbless "A and B: relation"
    ("Kim Jong Un flew back from Russia on Sunday.", "flew"),
    ("Iranian students rush back to Russia as the new term begins.", "rush"),
    # a relation with the other side's own people or phrase, no owner of its own
    ("Iran expelled the envoy after decades of close ties with Russia's ruling party.", "ties"),
    ("Iran seizes a second tanker in a week as tensions with Russia increase", "tensions"),
    (
        "An Iranian lawmaker quits after a report raised questions about his dealings with Russia",
        "dealings",
    ),
    # a gerund with no subject of its own as the subject of what the speakers believe
    (
        "Iran believes that preparing for a war with Russia may be the best way to prevent one",
        "believes",
    ),
    # what is said before an inverted "says X", read as a second subject
    ("Pension funds recoiling from Russia, says Iranian asset manager", "says"),
    # a reciprocal pronoun: whatever the verb, its subjects act on one another
    ("Iran and Russia blamed each other for the delay.", "blamed"),
    ("Iran and Russia are choking on each other's smog.", "choking"),
    ("Iran and Russia squabbled over port fees on Monday.", "squabbled"),
    ("Iran and Russia: friends in need", "friends"),
    # a relation the other alone names, as the subject's circumstance: the subject's with it
    ("Iran boosts its navy amid Russia tensions.", "boosts"),
    ("India stages air drills despite China rivalry.", "stages"),
    # a clause of time with no subject of its own: the subject acts again
    ("The North Korean vessel crossed the sea border while pursuing a Russian boat.", "crossed"),
    ("Kim Jong Un left Pyongyang after meeting Vladimir Putin.", "left"),
    # a relation of one side with a third that acts on the other side
    ("How the US-Iran deal could counter Russia's rising influence", "counter"),
    # one side's weapons in the other's attack, though the two are separate clauses
    ("Kyiv was hit by a Russian air attack; forty Iranian-made drones were shot down.", "attack"),
    (
        "Air defences downed most of the Russian missiles and Iranian drones launched at dawn.",
        "launched",
    ),  # fmt: skip
    ("Zelensky condemned Russian strikes overnight using Iranian drones.", "strikes"),
    # a comma list the parser read as an apposition still acts together
    ("Russia, Turkey, Syria and Iran Discuss Ankara-Damascus Agreement", "Discuss"),
    # a subject the parser hung from the auxiliary ("China" under "is")
    ("China is encouraging proliferation of missiles in Laos and North Korea.", "encouraging"),
    # acting on what someone else sends to the other side acts toward that side
    ("Iran wants to ban all EU exports to Russia.", "wants"),
    # named together as what they are to each other
    ("Mongolia sits between the rival powers India and China.", "rival"),
    ("The report praised the old allies Iran and Russia.", "allies"),
    # what is said, and a clause the speaker makes happen
    ("Kim Jong Un said Russia would prevail in the end.", "said"),
    ("The US says Iran is helping Russia build a drone factory.", "helping"),
    # the owner of a list's last people: "the defence ministers of Russia and North Korea"
    ("Russia and North Korea's defence ministers met on Tuesday.", "met"),
    # a presence in the other's city, no third party there: not only a venue
    ("Kim Jong Un met Putin in Moscow on Wednesday.", "met"),
    ("North Korean and Russian officials met in Moscow with Syria's envoy.", "met"),
    # a person in the actor's own phrase is that side's, not a third party at a venue
    ("North Korean Foreign Minister Choe Son Hui arrived in Moscow on Tuesday.", "arrived"),
    ("In Moscow, a court upheld the detention of the North Korean diplomat Kim Song.", "upheld"),
    # the host's minister, unknown to the gazetteer, is no third party; an arrival is a
    # visit in any company; an act on something there is an act on the place's side
    ("North Korea's foreign minister met Sergei Lavrov in Moscow on Monday.", "met"),
    ("North Korea's foreign minister will attend a security conference in Russia.", "attend"),
    ("Kim Jong Un and Japan's prime minister ended visits to Russia and Mongolia.", "ended"),
    ("North Korean delegates arrived in the Russian capital for talks.", "arrived"),
    ("North Korean workers flock to Russian building sites.", "flock"),
    # a third party's charge that the two act together
    ("The US accused Russia and North Korea of cooperating on weapons.", "cooperating"),
    ("Mongolia warns Russia and North Korea against 'ganging up' in the region.", "ganging"),
    ("Japan criticised North Korea and Russia for their arms deal.", "deal"),
    # a list the subject acts on is no list of topics
    ("India criticised Syria and Russia over the drills in a meeting with the US.", "criticised"),
    ("Russian and Mongolian warships arrived in Iran for joint naval drills.", "arrived"),
    ("Russia condemned the US military drills in North Korea.", "condemned"),
    # one side's weapons brought down by the other: an act against the maker's weapons
    ("Russia downed all nine North Korean-made drones launched overnight.", "downed"),
    # a threat with a condition on the other's act is aimed at the other
    ("Kim Jong Un threatened to arm Syria if Russia sends troops to Mongolia.", "threatened"),
    ("Putin says there would be consequences if North Korea tests a missile.", "says"),
    ("Putin warned of consequences if North Korea tests a missile.", "warned"),
    ("Russia will respond if North Korea moves troops to the border.", "respond"),
]

NOT_LINKED = [
    # what an act means for a party is no act on it
    "Japan approves the sanctions package, in a setback for North Korea.",
    "North Korea ratifies the treaty with Belarus, a defeat for Russia.",
    # a people's adjective alone after "in" is a language, not the people's state
    "Phishing emails written in North Korean targeted Russian shipping firms.",
    # a third party named by its bond to one side: the other acts on the third
    "North Korea voted to approve the accession of Russia's Nordic neighbour to the alliance.",
    "North Korea sent arms to Russia's allies in the region.",
    # two origins of one person, with no word that makes the noun the two's
    "A North Korean-Russian businessman was detained at the airport.",
    "A memoir published in Russian wins a North Korean literary prize.",
    # a country's name or adjective on money is no actor (the cue book's currencies)
    "The Iranian rial fell to a record low against the Russian rouble.",
    "Iran's rial weakened against the Russian rouble.",
    # an event of someone else's: "his" is not a country's, a named owner is another's
    "North Korea criticized the envoy's remarks during his trip to Russia.",
    "Kim Jong Un fired a missile during Putin's visit to Mongolia.",
    "India fired a missile during US drills with Russia.",
    "India's foreign ministry criticised Kim Jong Un during his trip to Russia.",
    "India tracked Chinese warships during drills with Russia.",
    # two leaders read as an apposition in a verbless list are a list
    "North Korea's Kim Jong Un, Russia's Putin among leaders named in Time list",
    # two leaders doing the same thing to a third person, each of them
    "Kim Jong Un and Putin congratulated Joe Biden on his election.",
    "North Korea's Kim Jong Un, Russia's Putin send greetings to Joe Biden",
    # each of the people of both, or drills each holds or another's
    "The leaders of India and China each held talks with Joe Biden this year.",
    "The presidents of Iran and Russia both condemned the strike.",
    "India and China held separate drills near their disputed border this week.",
    "Iran and Russia condemned Ukraine's exercises.",
    "Iran and Russia condemned Mongolia's latest drills.",
    # people who are no side's own, or drills of one side alone
    "Critics of North Korea and Russia met in Paris.",
    "Visitors from North Korea and Russia flocked to the resort.",
    "Iran, Russia economies shrank last year.",
    "Russia held drills near North Korea.",
    # a place between the two is no relation of theirs
    "A search went on in waters between North Korea and Russia.",
    # a comparison, whoever the subject is
    "India is expected to outgrow China this year.",
    "Emerging markets, including India, are expected to outgrow China this year.",
    # the members of an object are examples of what is acted on, and a name in a relative
    # clause on the subject is no actor of the subject's act
    "Japan, whose ties with India have soured, will lead the members of the group, including "
    "Russia, in the vote.",
    # a condition of no threat is another matter; a threat is aimed at the condition's
    # subject, not at what it acts on
    "Kim Jong Un will open the new hospital if Russia wins the war.",
    "Putin warned there would be consequences if Japan sends weapons to North Korea.",
    # a pledge or advice is no threat; a threat is aimed at the subject, not at its owner
    "North Korea vowed to keep fuel prices stable if Russia cuts gas supplies to Europe.",
    "Putin warned of consequences if North Korea's neighbour Mongolia joins the pact.",
    "Russia will respond if Mongolia sends troops to North Korea.",
    # the other's country only the venue of a third party's meeting (the guide's "a place
    # only"): the venue hosts nothing
    "North Korea and Syria's foreign ministers met in Russia on Thursday.",
    "Kim Jong Un met with Japan's prime minister in Moscow.",
    # a shore's "off" after a verb is a place near it; one verb's preposition said again
    # after a second object; a relic or inscription in a people's style; a storm that acts
    "A North Korean-owned bulk carrier ran aground off Russia's east coast.",
    "Mongolia supplies coal to North Korea and wheat to Russia.",
    "An Ottoman-era North Korean inscription was unearthed in Russia's far east.",
    "Floods in North Korea's north spread into eastern Russia.",
    # the venue of others' talks: a place a side owns, or the sidelines of its gathering
    "North Korea's Kim Jong Un and Mongolia's president held talks in Russia's Vladivostok.",
    "North Korea's envoy met Mongolia's minister on the sidelines of a Moscow conference.",
    # a headline's "to" read as a relative clause of the first name: read plain, a venue
    "North Korea, Mongolia Defense Chiefs to Meet in Moscow, Eye Better Ties",
    # what a third party charges the two with doing to someone else
    "Mongolia accused Russia and North Korea of stoking tensions over the border.",
    "G7 leaders warn Russia and North Korea against expanding nuclear arsenals.",
    "Mongolia accused Russia and North Korea of expanding their nuclear arsenals.",
    # people who travel or stay abroad for themselves: the place is a place only
    "North Korean tourists are flocking to Russian beaches as the rouble weakens.",
    "North Korean expats in Moscow celebrate the lunar new year.",
    "About 1,000 North Korean nationals live in Russia's far east.",
    "The children of North Korean officials vacationed in countries including Mongolia and Russia.",
    # a death with no one who kills: the place is a place only
    "A North Korean climber dies on Russia's Mount Elbrus.",
    "A North Korean student drowned in Russia's Lake Baikal on Sunday.",
    # one of a list of topics of talks with others is no act of the talkers on it
    "India and Mongolia square off over trade, Russia and spy balloons in their first dialogue.",
    "Kim Jong Un will focus on Ukraine and Russia in a meeting with the US president.",
    "India and Japan are set to discuss tensions with Mongolia, Syria and Russia.",
    # or of papers
    "The files included North Korean intelligence memos on Russia, Japan and Mongolia.",
    # two lists that pair off in order: each subject's own journey, or "respectively"
    "Japan's prime minister and Kim Jong Un ended visits to Russia and Mongolia.",
    "Kim Jong Un and Japan's prime minister visited Mongolia and Russia respectively.",
    # the venue of a meeting the parser hangs from the partner, or of a gathering attended
    "Mongolia's president met with a top North Korean diplomat in Russia on Saturday.",
    "Mongolia and North Korea's foreign ministers plan to attend a security conference in Russia.",
    "North Korean and Syrian delegates were separated after a scuffle during a meeting in the "
    "Russian capital.",
    "North Korean, Syrian delegates fight at Russia conference",
    # and a list of people's owners shares nothing but the verb: not a mutual act
    "Russia and North Korea's economies grew on Tuesday.",
    # co-objects of a third party's act or relation
    "The United States criticised North Korea and Russia for their missile tests.",
    "Japan seeks closer ties with Iran and Russia.",
    "Mongolia sits between Russia and North Korea.",
    "In separate statements, Iran and Russia condemned the strike.",
    # "for … to" with a subject that is no actor of the verb above: a circumstance
    "Xi's backing of Putin has opened the door for North Korea to shore up ties.",
    # a ranking: the next place is no relation
    "The film did best in China, where it made 160 million dollars, followed by Iran.",
    # someone else's act after a mediated relation: no party of it
    "Iran condemned Israel after talks brokered by China.",
    "India and Ukraine agreed to a ceasefire after the Russia-brokered truce in Syria.",
    # the object, not the subject, mediates; a mediation only welcomed; none at all
    "Russia thanked Turkey for hosting talks between Iran and Ukraine.",
    "China urged Oman to broker a deal between Iran and the US.",
    "Russia welcomed the mediation between Iran and Saudi Arabia.",
    "China has not mediated between India and Ukraine.",
    "Russia faces a host of problems between now and the Iranian election.",
    # from a review: acts apart, others' relations, a joint thing opposed, a wait
    "Iran, Russia separately sign deals with Turkey.",
    "Iran and Russia condemn the US-brokered truce in Gaza.",
    "Iran, Russia welcome thaw between Turkey and Egypt.",
    "Iran and Russia voted against the joint resolution.",
    # others' joint thing the parser gives the pair as an object: each scrambles its own
    "Iran, Russia scramble jets due to US-Israel joint air patrol",
    "Iran and Russia will scramble jets due to US-Israel joint air patrol",
    "Iran waited for Russia to act.",
    "Iran and Russia to hold separate elections",
    # a place two sides share is no relation
    "The film is set on Russia's border with North Korea.",
    # a place inside a party is no party
    "China brokered a ceasefire between militias in Iran's neighbour Iraq.",
    # "City, Country about …": a place's matter, not a list's
    "Talks resumed in Muscat, Oman about Iran's nuclear programme, with China watching.",
    # a list that shares an attribute, or acts separately
    "China, Russia, Iran and North Korea pose the greatest threats, the report said.",
    "Russia and North Korea have both tested new missiles this year.",
    "Russian and North Korean hackers were named in the indictment.",
    "Iran, Russia Pose Threats To The West, Report Says",
    # another matter: a clause of its own, a comparison
    "North Korea fired a missile on Thursday after Russia warned the West.",
    # two clauses side by side, the first hung as the complement of a verb of no saying
    "Iran will pledge to scrap weapons, Russia faces new sanctions",
    "Russia, like North Korea, has tested a hypersonic missile.",
    "India is about to overtake China as the most populous country.",
    "India lags behind China in chip output.",
    "Iran's drone output surpassed Russia's last year.",
    "Iran replaced Russia as the top supplier.",
    # a third sits between the two, acting with neither; a pair at odds with a third
    "Mongolia sits between Russia and Iran.",
    "Iran and Russia remain at odds with the US over tariffs.",
    # a relation of another with a third named beside the circumstance
    "Iran welcomes record tourists amid Russia tensions with Japan.",
    # a ship going past, not a bill passed or a thing given
    "A Russian tanker passes an Iran-bound carrier in the strait.",
    # drills in a reported clause are that clause's subject's
    "Iran's ministry says a Chinese carrier sailed past during drills with Russia.",
    "Twenty Iranian aircraft flew near the island during drills with Russia.",
    # a shared stance is no relation
    "Iran and Russia take a similar stance on the Gaza resolution.",
    # a clause of time on a relation is no purpose of it
    "The US seeks stronger ties with Iran as Japan is accused of arming Russia.",
    # someone else's exercise is not the subject's
    "Russia fired a missile during Japan's drills with Iran.",
    # a party of someone else's relation; an aggregate; a style; a list's possessor
    "India aims to profit from US-China tensions.",
    # an attitude voiced at an act the other only is near is no answer to the other
    "Russia issued a warning after US drills near Iran.",
    # an attitude received is none voiced
    "Putin is facing pressure as Iran steps up its oil exports.",
    # a thing of the other side's is no act of it; another subject's clause is not its own
    "Russia issued a warning after Iran's earthquake.",
    "Russia issued a warning during the Iranian elections.",
    "Iran voiced concern as analysts in Russia predicted a recession.",
    # an answer to something it names, a hurry to do something, a contrast
    "Iran responded to the earthquake as Russia sent condolences.",
    "Iran scrambled to contain the outbreak as Russia reported new cases.",
    "Iran protested after the US imposed tariffs, while Russia stayed silent.",
    # players or teams in a game: a word of winning or losing, with a score or a sport
    "Iran beat Russia 3-1 in the World Cup qualifier.",
    "Russia's Medvedev extended his streak with a 6-3 7-6 victory over Iran's Karimi.",
    "The Iranian champion was beaten in the final by Russia's top seed.",
    "Late goals send Iran past Russia in World Cup qualifier",
    # the aim of a clause with a subject of its own is that subject's, not the relation's
    "Iran deepened its ties with Syria, as Turkey seeks to counter Russia's influence.",
    # each one's own exercise with a third
    "Turkey held separate drills with Russia and Iran.",
    "Turkey seeks closer ties with Russia and Iran.",
    # an attitude about a thing of the other side is not about the side
    "Iran raised fuel prices amid concerns over Russia's economy.",
    "India cut interest rates amid fears of a China slowdown.",
    "Iran banned the film amid protests over Russia's war.",
    # the side inside the subject's phrase is not the subject
    "Critics of India staged protests amid worries about China.",
    # a relation of two others is theirs, not the subject's; nor one inside another noun
    "Iran boosts its navy amid US-Russia tensions.",
    "Iran raised fuel prices amid fears of a Russia slowdown.",
    # only a past tense is known, not a participle wanted done
    "India knows China built a dam upstream.",
    # near a place, not moved toward or away from it
    "North Korea fired missiles close to the Russian border on Monday.",
    # an attitude is answered by the subject only: not by an object, not inside a phrase
    "Japan held naval drills with India amid worries about China.",
    "India criticised a plan drafted amid worries about China.",
    # an adverb of distance the parser hangs from a verb far before it is not that verb's
    (
        "India and Japan are getting closer to signing a trade pact, a move that is part of a "
        "wider Japanese plan to move its supply chains away from China."
    ),
    "China and India will together account for half of all global growth.",
    "A Chinese restaurant opened in India last year.",
    "Analysts say China and India's growth will boost demand for iron ore.",
    "Iran tested new missiles while Russia held a parade.",
    # the objects of two acts of someone else
    "The allies agreed to raise pressure on Russia, condemn North Korea's tests and aid Ukraine.",
    # not an actor: a place's or a language's name, an origin
    "Russia and China will conduct naval drills in the Indian Ocean next month.",
    "Two Iranian-born brothers were sentenced for spying for Russia.",
    "Russia And China To Conduct Indian Ocean Naval Drills",
    # …and a headline run into its first sentence: the place the recogniser found there
    "Russia And China To Hold Indian Ocean Naval Drills Russia and China will hold naval drills "
    "in the Indian Ocean next month.",
    # a caption full of names is cased as a headline; its place keeps its capitals
    "U.S. Navy Riverine Squadron sailors work with Indian Navy SEALS in the South China Sea.",
    # a comma list the parser broke: the second name read as an apposition of a noun above
    "Allies agree to expand naval drills amid tensions over Russia, North Korea",
    # the standard of a comparison; emulation; a figure set against a figure
    "India has a GDP that is just one-quarter that of China's.",
    "Official data put India's wheat output at 110 million tonnes against 137 million tonnes for China.",
    "Official figures estimate India's population at 1.43 billion against 1.41 billion for China.",
    "A poll found Iran is now seen as more hostile than Russia by most voters.",
    "India seeks to replicate the success of the US and China.",
    # the place of someone else's meeting
    "Russia and China refused to sign the statement at a meeting of finance ministers in India.",
    # two nouns in a list, each of its own owner
    "The cardinal condemned Russia's war in Ukraine and Iran's treatment of protesters.",
    # each the ally of a third: the relation noun has an owner
    "The report criticised Japan's allies India and China.",
    "The report criticised US allies India and China.",
    # where someone else's envoy or troops are: the owner acts, not the place
    "The US envoy to Iran slammed Russia's plans.",
    "US troops in Iran tracked Russian drones.",
    # set side by side: "equates", "likens"
    "Japan's foreign minister equates the supply of weapons to Russia with Iran's aid to Syria.",
    # a denied thing
    "India praised Japan's help and said not a word about China.",
    # a place near the other, with no actor of it there (the guide's "a place only")
    "Russia fired two missiles into waters off Iran's coast on Tuesday.",
    # two trips set side by side: in time, or each with a subject of its own
    "India's foreign minister will show solidarity with Ukraine in a visit that coincides with "
    "the Belarusian leader's Moscow trip.",
    "Kim Jong Un's visit to Ukraine comes as rival Belarus is visiting Mongolia for talks with "
    "Vladimir Putin.",
    "Kim Jong Un visit to Ukraine comes as Belarus is visiting Mongolia for talks with Vladimir "
    "Putin.",
]


def spans(text: str, names: list[str], taken: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", text):
            if not any(a < m.end() and m.start() < b for a, b in [*taken, *out]):
                out.append((m.start(), m.end()))
    return out


def read(text: str, lexicon: Lexicon) -> Reading:
    left = spans(text, LEFT, [])
    right = spans(text, RIGHT, left)
    others = spans(text, OTHERS, left + right)
    people = frozenset(s for s in left + right if text[s[0] : s[1]] in PEOPLE)
    return link_roles(text, left, right, others, lexicon, people)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.load(WATCHLISTS / "cues.yaml")


@pytest.mark.parametrize(
    "text",
    [
        "Russian troops crossed into Iran near the border town.",
        "Russian ships docked in Iran's port near Bandar Abbas.",
        # a verb's "off" is its particle, however the tagger reads it
        "Iran Wards Off Russian, Chinese Influence",
        "Yellen Pledges to Deepen Africa Ties as Iran Wards Off Russian, Chinese Influence",
        "Iran has warned Russia off of launching another offensive.",
    ],
)
def test_a_place_near_something_else_keeps_the_presence_in_the_other(
    lexicon: Lexicon, text: str
) -> None:
    """ "near" and "off" make a place near the other no presence in it; a presence in the
    other's territory near some third place is still one."""
    assert read(text, lexicon).link is not None


def test_a_verbless_headline_s_noun_is_the_subject_of_its_purpose(lexicon: Lexicon) -> None:
    """ "Kishida in Seoul on visit *to boost ties with China*": the headline has no verb, and
    the purpose clause with no subject of its own is the headline noun's act."""
    text = "Japan's Kishida in Seoul on visit to boost ties with China"
    left = [(0, 5), (8, 15)]
    china = text.index("China")
    reading = link_roles(text, left, [(china, china + 5)], [], lexicon, frozenset({(8, 15)}))
    assert reading.link is not None
    assert text[slice(*reading.link.predicate)] == "boost"


def test_a_subject_the_tagger_hung_as_a_compound_is_the_subject(lexicon: Lexicon) -> None:
    """ "Canada clamps down …": the tagger hangs "Canada" from the verb as a compound; it is
    the subject, acting as concerns about China grow."""
    text = "Canada clamps down on military research as China concerns grow"
    china = text.index("China")
    reading = link_roles(text, [(0, 6)], [(china, china + 5)], [], lexicon)
    assert reading.link is not None
    assert reading.link.left_role == "subject"


def test_a_people_named_after_a_region_is_not_the_country(lexicon: Lexicon) -> None:
    """ "Latin American leaders" are no Americans: the recogniser's people whose first word
    is a region's; "American leaders" are."""
    for text, linked in (
        ("Iran built ties with Latin American leaders.", False),
        ("Iran built ties with American leaders.", True),
    ):
        american = text.index("American")
        reading = link_roles(text, [(0, 4)], [(american, american + 8)], [], lexicon)
        assert (reading.link is not None) is linked, text


def test_a_verb_s_off_read_as_a_preposition_is_no_place(lexicon: Lexicon) -> None:
    """A headline the tagger misreads ("Wards" a noun, "Russian" the object of "Off"): the
    "off" of a name's adjective is no place near it."""
    text = "Yellen Pledges to Deepen Africa Ties as U.S. Wards Off Russian, Chinese Influence"
    us, russian = text.index("U.S."), text.index("Russian")
    reading = link_roles(text, [(us, us + 4)], [(russian, russian + 7)], [], lexicon)
    assert reading.link is not None


@pytest.mark.parametrize(("text", "predicate"), LINKED)
def test_actors_in_roles_of_one_predicate_are_linked(
    lexicon: Lexicon, text: str, predicate: str
) -> None:
    reading = read(text, lexicon)
    assert reading.link is not None, text
    start, end = reading.link.predicate
    assert text[start:end] == predicate
    assert reading.link.left_role and reading.link.right_role


def test_an_event_named_after_its_parties_is_their_relation(lexicon: Lexicon) -> None:
    """The recogniser reads "Iran-Saudi Pact" in a Title Case headline as an EVENT; a
    name inside a longer name is no actor, but a pact named after its parties is theirs."""
    title = "Iran-Saudi Pact Is Brokered by Russia, Leaving Europe on Sidelines"
    left = spans(title, LEFT, [])
    right = spans(title, RIGHT, left)
    others = spans(title, [*OTHERS, "Saudi"], left + right)
    assert [title[a:b] for a, b in others] == ["Saudi"]
    link = link_roles(title, left, right, others, lexicon).link
    assert link is not None and title[link.predicate[0] : link.predicate[1]] == "Brokered"


def test_a_mediator_is_linked_to_each_party_and_the_evidence_says_so(lexicon: Lexicon) -> None:
    """The one who brokers a relation acts with each of its parties (docs/analysis.md)."""
    for text in (
        "China brokered a deal between Iran and Saudi Arabia.",
        "China brokered a deal between Saudi Arabia and Iran.",
        # the relation of the deal's purpose
        "China brokered a deal to restore relations between Iran and Saudi Arabia.",
    ):
        link = read(text, lexicon).link
        assert link is not None, text
        assert (link.how, link.left_role, link.right_role) == ("mediation", "party", "mediator")
        assert text[link.left[0] : link.left[1]] == "Iran"


@pytest.mark.parametrize(
    ("text", "one", "other", "linked"),
    [
        (
            "Russia test-fired two missiles in the Sea of Japan on Tuesday.",
            "Russia",
            "Japan",
            False,
        ),
        ("Russia Test-Fires Missiles In Sea Of Japan", "Russia", "Japan", False),
        (
            "Russian warships will sail to the Atlantic and Indian oceans.",
            "Russian",
            "Indian",
            False,
        ),
        ("China held drills in the Philippine Sea.", "China", "Philippine", False),
        # the country's own waters, and a sea crossed on the way, are not such names
        ("Russian warships entered Japanese waters.", "Russian", "Japanese", True),
        (
            "Russian bombers crossed the Sea of Japan and entered Japan's airspace.",
            "Russian",
            "Japan's",
            True,
        ),
        # from a review: the country's own seas and straits, a second place, a crowd
        ("Russian Patrol Ships Enter Japanese Straits", "Russian", "Japanese", True),
        ("Russian warships patrolled the seas of Japan for a week.", "Russian", "Japan", True),
        (
            "Russian bombers flew over the Sea of Okhotsk and Japan on Monday.",
            "Russian",
            "Japan",
            True,
        ),
        ("Putin's Russian convoy was greeted by a sea of Japanese.", "Russian", "Japanese", True),
    ],
)
def test_a_sea_that_bears_a_country_s_name_is_a_place_not_the_country(
    lexicon: Lexicon, text: str, one: str, other: str, linked: bool
) -> None:
    """The guide's "a place only": "the Sea of Japan" is not Japan, read from the grammar
    where the recogniser finds no place (a headline in capitals, a plural "oceans")."""
    first = text.index(one)
    second = text.rindex(other)
    other_span = (second, second + len(other) - (2 if other.endswith("'s") else 0))
    reading = link_roles(text, [(first, first + len(one))], [other_span], [], lexicon)
    assert (reading.link is not None) is linked, (text, reading.link)


@pytest.mark.parametrize("text", NOT_LINKED)
def test_co_objects_lists_and_other_matters_are_not(lexicon: Lexicon, text: str) -> None:
    reading = read(text, lexicon)
    assert reading.link is None, (text, reading.link)
    assert reading.readable


def test_the_roles_are_named(lexicon: Lexicon) -> None:
    link = read("Kim Jong Un praised Vladimir Putin in a birthday message.", lexicon).link
    assert link is not None
    assert (link.left_role, link.right_role) == ("subject", "object")
    moved = read("Kim Jong Un arrived in Moscow on Tuesday.", lexicon).link
    assert moved is not None and moved.right_role == "in-object"
    # the owner and the topic keep their roles whichever side comes first
    owned = read("Russia's North Korea policy hardened.", lexicon).link
    assert owned is not None
    assert (owned.left_role, owned.right_role) == ("topic", "possessor")


def test_a_verbless_fragment_cannot_be_read(lexicon: Lexicon) -> None:
    """The caller then falls back on the cue words (tests/test_linking.py)."""
    reading = read("Kim Jong Un's shells, Vladimir Putin's war", lexicon)
    assert reading.link is None and not reading.readable


def test_a_title_case_headline_is_cased_for_the_tagger(lexicon: Lexicon) -> None:
    title = "Kim Jong Un Arrives In Moscow For Talks With Putin"
    keep = spans(title, LEFT + RIGHT, [])
    cased = headline_case(title, keep)
    assert cased == "Kim Jong Un arrives in Moscow for talks with Putin"
    assert len(cased) == len(title)
    assert headline_case("Kim arrives in Moscow", keep) == "Kim arrives in Moscow"
    link = read(title, lexicon).link
    assert link is not None and title[link.predicate[0] : link.predicate[1]] == "Arrives"


def test_a_list_of_one_word_names_in_a_title_case_headline_keeps_its_capitals(
    lexicon: Lexicon,
) -> None:
    """Lower-casing "Syrian, Turkish" (no names the rule knows) breaks the list the host
    acts on; three capitalised words joined by commas and "and", one of them a name,
    are a list of names. Two words and a comma are not: "After Meeting Putin, Leaders"."""
    title = "Tehran Welcomes Russian, Syrian, Turkish Army Chiefs For Talks"
    cased = headline_case(title, spans(title, LEFT + RIGHT, []))
    assert cased == "Tehran welcomes Russian, Syrian, Turkish army chiefs for talks"
    link = read(title, lexicon).link
    assert link is not None and title[link.predicate[0] : link.predicate[1]] == "Welcomes"
    assert (link.left_role, link.right_role) == ("subject", "object")
    other = "Russia, Belarus And Kazakhstan Hold Drills In Iran"
    assert headline_case(other, spans(other, LEFT + RIGHT, [])) == (
        "Russia, Belarus and Kazakhstan hold drills in Iran"
    )
    clause = "After Meeting Putin, Leaders Agree To Talk Again"
    assert headline_case(clause, spans(clause, LEFT + RIGHT, [])) == (
        "After meeting Putin, leaders agree to talk again"
    )


def test_a_headline_verb_read_as_a_noun_is_read_again_as_a_verb(lexicon: Lexicon) -> None:
    """The tagger reads "vessels swarm" as a compound noun; with an auxiliary before the
    word it sees the verb, and the roles are read from that parse."""
    title = "Iranian vessels swarm Russian-claimed island"
    verbless = parse_sentence(headline_case(title, spans(title, LEFT + RIGHT, [])))
    assert not any(t.pos_ == "VERB" and t.text == "swarm" for t in verbless)  # the misreading
    link = read(title, lexicon).link
    assert link is not None
    assert title[link.predicate[0] : link.predicate[1]] == "swarm"  # offsets of the title itself
    assert (title[link.left[0] : link.left[1]], link.left_role) == ("Iranian", "subject")
    assert (title[link.right[0] : link.right[1]], link.right_role) == ("Russian", "object")


@pytest.mark.parametrize(
    ("title", "word", "roles"),
    [
        ("Russia Brokers Deal Between Iran and Syria", "Brokers", ("party", "mediator")),
        ("Russia brokers deal between Iran and Syria", "brokers", ("party", "mediator")),
    ],
)
def test_a_headline_verb_read_as_the_plural_noun_of_a_name_is_read_as_a_verb(
    lexicon: Lexicon, title: str, word: str, roles: tuple[str, str]
) -> None:
    """The tagger reads "Russia brokers deal" as a plural noun the name modifies and makes
    the object the verb; made plain after an auxiliary ("Russia will broker deal …") the
    word is the verb, and the evidence names the word as written."""
    misread = parse_sentence(headline_case(title, spans(title, LEFT + RIGHT, [])))
    assert next(t for t in misread if t.lower_ == word.lower()).pos_ == "NOUN"  # misread
    link = read(title, lexicon).link
    assert link is not None
    assert title[link.predicate[0] : link.predicate[1]] == word
    assert (link.left_role, link.right_role) == roles


@pytest.mark.parametrize(
    ("title", "linked"),
    [
        # a headline's future is "to": the list before it is the subject of the verb
        ("Iranian, Russian envoys to meet again in Geneva", True),
        ("Leaders of Iran, Russia to hold talks next week", True),
        ("Kim Jong Un, Putin to sign arms deal", True),
        # not a verb under another's: "wants Iran to stop" is what the US wants
        ("The US wants Iran to stop arming Russia", True),
        # "to" after a place is a purpose, and a list of countries acting alike is no pair
        ("Iran's leader in Minsk to back Belarus as Putin tours Russia's far east", False),
        ("Iran, Russia to boycott the games", False),
    ],
)
def test_a_headline_s_future_is_read_as_a_verb(lexicon: Lexicon, title: str, linked: bool) -> None:
    """ "Iranian, Russian envoys to meet": the parser reads a name and a relative clause; the
    headline's "to" read as "will" gives the verb its subject."""
    assert (read(title, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("sentence", "linked"),
    [
        # two sides' words before one subject, the parser's two modifiers of one noun
        ("Iranian, Russian envoys will meet again in Geneva.", True),
        # not an act done separately, or one each side does alike, leaders or not
        ("Iranian, Russian envoys held separate talks in Geneva.", False),
        ("Iranian, Russian envoys condemned the attack.", False),
        ("Iranian, Russian leaders attend an inauguration in Ashgabat.", False),
        # the parser hangs the first word from the verb: still one list
        ("Indian, Russian astronauts fly on a SpaceX mission.", False),
        ("Indian, Russian envoys meet in Geneva.", True),
    ],
)
def test_a_list_of_modifiers_is_a_joint_subject(
    lexicon: Lexicon, sentence: str, linked: bool
) -> None:
    assert (read(sentence, lexicon).link is not None) is linked


def test_the_pipeline_parses_what_the_layer_reads() -> None:
    """The installed pipeline tags, parses and finds entities (docs/analysis.md)."""
    doc = parse_sentence("Japan's prime minister met South Korea's president in Seoul on Thursday.")
    deps = {t.text: t.dep_ for t in doc}
    assert deps["met"] == "ROOT" and deps["minister"] == "nsubj"
    assert {e.label_ for e in doc.ents} >= {"GPE", "DATE"}
    (met,) = [t for t in doc if t.text == "met"]
    assert met.morph.get("Tense") == ["Past"] and met.pos_ == "VERB"


@pytest.mark.parametrize(
    "title",
    [
        "Russia launches drones on Ukrainian infrastructure",
        # the launch's object is a wave of the weapons
        "Russia launches a wave of drones on Ukrainian infrastructure",
    ],
)
@pytest.mark.parametrize(
    "lead",
    [
        "The overnight strikes with Iranian-made drones capped a busy day.",
        # the parser reads "with [drones capped a day]": the drones are still the means
        "The overnight strikes with Iranian-made drones capped a day of shelling.",
    ],
)
def test_the_weapons_of_an_attack_told_in_the_title_are_linked_in_the_lead(
    lexicon: Lexicon, title: str, lead: str
) -> None:
    """The title's launch on the other side, then "the strikes with Iranian-made drones"
    in the lead: the maker is linked to the target (roles ``target`` and ``maker``)."""
    text = f"{title}\n{lead}"
    target = text.index("Ukrainian")
    maker = text.index("Iranian-")
    link = link_materiel(
        text, [(target, target + 9)], [(maker, maker + 7)], [], lexicon, headline=len(title)
    )
    assert link is not None
    assert (link.left_role, link.right_role) == ("target", "maker")


def test_a_line_break_is_read_as_a_space() -> None:
    """A title and its lead joined by a line break parse as when joined by a space: the
    break is no token the model hangs into the lead's parse (offsets hold)."""
    title = "Russia launches drones on Ukrainian infrastructure."
    lead = "The overnight strikes with Iranian-made drones capped a busy day."
    broken, spaced = parse_sentence(f"{title}\n{lead}"), parse_sentence(f"{title} {lead}")
    assert [(t.idx, t.dep_, t.head.i) for t in broken] == [
        (t.idx, t.dep_, t.head.i) for t in spaced
    ]
    assert not any(t.is_space for t in broken)


def test_a_pipeline_that_is_not_installed_is_a_clear_error() -> None:
    use_pipeline("en_core_web_nonexistent")
    try:
        with pytest.raises(PipelineError, match="en_core_web_nonexistent.*not installed"):
            parse_sentence("Kim met Putin.")
    finally:
        use_pipeline(DEFAULT_PIPELINE)


def test_monitor_toml_names_the_pipeline_and_refuses_one_not_installed(tmp_path: Path) -> None:
    from monitor.config import load_config
    from monitor.errors import ConfigError

    path = tmp_path / "monitor.toml"
    path.write_text(f'[analysis]\npipeline = "{DEFAULT_PIPELINE}"\n')
    assert load_config(path).analysis.pipeline == DEFAULT_PIPELINE
    path.write_text('[analysis]\npipeline = "en_core_web_nonexistent"\n')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "analysis.pipeline" in str(err.value) and "not installed" in str(err.value)


MOODS = [
    (
        "A summit between Kishida and Yoon is possible later this year, officials said.",
        "summit",
        "possible",
    ),
    ("South Korean President Yoon could meet Kishida in Tokyo.", "meet", "doubtful"),
    ("Kishida and Yoon's summit on the brink of collapse", "summit", "doubtful"),
    ("Kishida said of the planned visit to Seoul.", "visit", "planned"),
    ("Quad summit cancelled after Biden calls off trip", "summit", "cancelled"),
    ("Officials are working towards a meeting between Kishida and Yoon.", "meeting", "possible"),
    ("Kishida plans to visit Seoul next month.", "visit", "possible"),
    ("Kishida and Yoon will meet in Seoul on Thursday.", "meet", "possible"),
    ("Kishida and Yoon met in Seoul on Thursday.", "met", "past"),
    ("Kishida and Yoon held a summit in Tokyo on Thursday.", "summit", "past"),
    ("Kishida is visiting Seoul for a summit with Yoon.", "summit", None),
]


@pytest.mark.parametrize(("text", "word", "mood"), MOODS)
def test_the_mood_of_an_event_is_read_from_its_clause(text: str, word: str, mood: str) -> None:
    """A modal, a modal adjective or a verb of intention makes an event a plan; "could",
    "in doubt" only a possibility; a verb or participle that calls it off, no event."""
    from monitor.analysis.modality import modality

    at = text.index(word)
    assert modality(text, (at, at + len(word)), []).mood == mood


@pytest.mark.parametrize(
    "text",
    [
        "Russia's Iranian-made drones were shot down over the capital.",
        "Russia fired cruise missiles at the port, as well as seven Iran-made drones.",
    ],
)
def test_a_made_by_modifier_is_an_act_of_its_country(lexicon: Lexicon, text: str) -> None:
    """ "Iranian-made drones" are drones Iran made: with Russia's, a relation of the two."""
    assert read(text, lexicon).link is not None, text


def read_sides(text: str, left: list[str], right: list[str], lexicon: Lexicon) -> Reading:
    """The reading of ``text`` with the two sides named here (``OTHERS`` as third names)."""
    ls = spans(text, left, [])
    rs = spans(text, right, ls)
    return link_roles(text, ls, rs, spans(text, OTHERS, ls + rs), lexicon)


@pytest.mark.parametrize(
    ("text", "word", "roles"),
    [
        # the victims of an attack carried out with one side's weapons
        ("US engineer killed, three soldiers wounded in likely Iranian-made UAV attack in Iraq", "attack", ("maker", "victim")),
        ("A US sailor was killed after an Iranian-origin drone struck the port.", "struck", ("maker", "victim")),
        # a side's armed groups attacking the other
        ("Militias backed by Iran fired rockets at US troops overnight.", "fired", ("backer", "target")),
        ("Two US sailors died when Iran-backed rebels struck their ship.", "struck", ("backer", "victim")),
        ("Groups affiliated with Iran's Revolutionary Guard fired rockets at US troops.", "fired", ("backer", "target")),
        # the verb that launches an attack on the other shares its means
        ("Militias launched attacks on US bases overnight using Iranian drones.", "attacks", ("maker", "target")),
        # used by forces in the other's territory, or to fight a war in it
        ("Iranian-made drones used by militia forces in the US contain foreign parts.", "used", ("maker", "theatre")),
        # a noun of harm the verb gives its subject
        ("Six US sailors were treated for injuries after Iran-backed attacks on the port.", "attacks", ("backer", "victim")),
    ],
)  # fmt: skip
def test_a_sides_weapons_or_armed_groups_turned_on_the_other_link_the_two(
    lexicon: Lexicon, text: str, word: str, roles: tuple[str, str]
) -> None:
    """The weapon's maker or the group's backer is linked to the side its attack hurts."""
    link = read_sides(text, ["Iranian", "Iran"], ["US"], lexicon).link
    assert link is not None, text
    assert text[link.predicate[0] : link.predicate[1]] == word
    assert (link.left_role, link.right_role) == roles


@pytest.mark.parametrize(
    "text",
    [
        # no attack: the group only stands beside the other side
        "Iran-aligned parties won seats as US troops left the country.",
        "Iranian-backed militias clashed with local fighters near the US embassy.",
        # the harm has another cause than the attack with the weapon
        "Two US soldiers were injured in a road accident; Iranian-made drones were seen later.",
        # the forces in the other's territory use something else, or sell the weapons
        "Iranian drones were used by militia forces before their leaders fled to the US.",
        "Iranian drones sold to dealers in the US were seized at the border.",
    ],
)
def test_a_sides_armed_group_beside_the_other_side_is_no_link(lexicon: Lexicon, text: str) -> None:
    assert read_sides(text, ["Iranian", "Iran"], ["US"], lexicon).link is None, text


def test_travellers_verb_read_as_a_noun_is_still_theirs(lexicon: Lexicon) -> None:
    """ "Israeli tourists flock to the UAE for Hanukkah holidays": the tagger reads "flock"
    as a noun with "tourists" for its subject; the travellers' verb is theirs still."""
    text = "Israeli tourists flock to the UAE for Hanukkah holidays"
    assert read_sides(text, ["Israeli"], ["UAE"], lexicon).link is None


def test_the_visitor_of_an_arrivals_journey_arrives(lexicon: Lexicon) -> None:
    """ "Bennett lands in Abu Dhabi in first visit by an Israeli prime minister": whoever
    the subject is called, the journey's visitor is who arrives. Another act during
    someone's visit is no arrival of theirs."""
    text = "Bennett lands in Abu Dhabi in first visit by an Israeli prime minister"
    link = read_sides(text, ["Israeli"], ["Abu Dhabi"], lexicon).link
    assert link is not None
    assert (link.left_role, link.right_role) == ("visitor", "in-object")
    other = "Hamas attacked Abu Dhabi during a visit by an Israeli envoy"
    assert read_sides(other, ["Israeli"], ["Abu Dhabi"], lexicon).link is None


def test_the_object_of_a_verb_read_as_a_noun_is_no_subject(lexicon: Lexicon) -> None:
    """ "Moody's downgrades France, keeps UK outlook stable": the tagger reads "downgrades"
    as a noun with an object, the subject of "keeps"; the two are objects of two acts."""
    text = "Moody's downgrades France, keeps UK outlook stable"
    assert read_sides(text, ["France"], ["UK"], lexicon).link is None
    assert read_sides("France's president praises UK", ["France"], ["UK"], lexicon).link


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a list of origins before a noun that names no relation: the makers' origin
        ("US to allow South Korean, Taiwan chip makers to keep operations in China", True),
        # a hyphened pair, or a list before a relation noun: a relation of others
        ("South Korea aims to profit from a US-China chip war", False),
        ("South Korea aims to profit from Japan and China tensions", False),
        # a bond of the other's with a third that a verb acts on: acted on, its parties
        ("South Korea lashes out against the US-China alliance", True),
        ("South Korea says the China-Japan fishing deal is void", True),
        ("The Japan-China deal was secured by South Korea's mediation", True),
        # a bond only in a phrase of another noun stays others'
        ("South Korea praised Oman, a mediator in the Japan-China talks", False),
    ],
)
def test_a_list_of_origins_is_no_party_of_anothers_relation(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    reading = read_sides(text, ["South Korean", "South Korea"], ["China"], lexicon)
    assert (reading.link is not None) is linked


def test_co_objects_stay_apart_whatever_else_names_them(lexicon: Lexicon) -> None:
    """ "The conference disinvited Russia and Iran in response to the invasion of Ukraine
    and Tehran's crackdown": the two are co-objects of a third party's act; another
    mention of one side in the same act ("Tehran's") does not link them through it. A
    list of subjects is no third party's: each may still be where the other is."""
    text = (
        "The conference also disinvited Russia and Iran in response to the continued "
        "invasion of Ukraine and Tehran's crackdown on protests."
    )
    assert read_sides(text, ["Iran", "Tehran"], ["Russia"], lexicon).link is None
    subjects = (
        "Iranian Foreign Minister Araghchi and Russian Foreign Minister Lavrov speak to the "
        "media at the ministry on June 20 in Moscow, Russia."
    )
    assert read_sides(subjects, ["Iranian"], ["Russian", "Moscow"], lexicon).link is not None


def test_a_value_read_as_a_clause_is_the_objects(lexicon: Lexicon) -> None:
    """ "Signs deals worth $2 billion with Russia": the parser may read "deals worth …" as
    a clause of its own, its "with" the value's; it is the object's, and the subject's
    act. A value that names no one with it stays apart."""
    text = "Saudi Arabia Signs Investment Deals Worth $2 Billion With Russia"
    link = read_sides(text, ["Saudi Arabia"], ["Russia"], lexicon).link
    assert link is not None
    assert text[link.predicate[0] : link.predicate[1]] == "Signs"
    apart = "Saudi Arabia signed deals worth $2 billion, a record, while Russia watched."
    assert read_sides(apart, ["Saudi Arabia"], ["Russia"], lexicon).link is None


@pytest.mark.parametrize(
    "text",
    [
        "Tehran's support for Russia's war in Ukraine keeps growing, officials say.",
        "Iran's help for the attacks in Ukraine drew new sanctions.",
    ],
)
def test_the_in_of_a_war_is_its_target_not_its_place(lexicon: Lexicon, text: str) -> None:
    """ "Russia's war in Ukraine" is waged on Ukraine: supporting it acts toward Ukraine,
    unlike "support for a summit in Ukraine", where Ukraine is only the venue, or "a
    film about the war in Ukraine", where the war is only the film's matter."""
    assert read_sides(text, ["Tehran", "Iran"], ["Ukraine"], lexicon).link is not None, text
    venue = "Tehran's support for a summit of ministers in Ukraine keeps growing, officials say."
    assert read_sides(venue, ["Tehran"], ["Ukraine"], lexicon).link is None
    # a war that is only the matter of a work keeps its place
    topic = "An Iranian director's film about the war in Ukraine wins an award in Venice."
    assert read_sides(topic, ["Iranian"], ["Ukraine"], lexicon).link is None


@pytest.mark.parametrize(
    ("text", "word"),
    [
        # the first of two listed adjectives hung from the verb as its adverb
        ("Australian, Chinese militaries hold talks for the first time in six years", "hold"),
        # a relation noun after the pair read as the third member of their list
        ("Beijing and Canberra thaw continues as trade ministers talk", "thaw"),
    ],
)
def test_a_list_the_parser_broke_still_names_the_pair(
    lexicon: Lexicon, text: str, word: str
) -> None:
    link = read_sides(text, ["Australian", "Canberra"], ["Chinese", "Beijing"], lexicon).link
    assert link is not None, text
    assert text[link.predicate[0] : link.predicate[1]] == word


def test_an_event_in_a_circumstance_takes_the_mood_of_its_act() -> None:
    """ "will discuss … in visits in the coming days": the visits are as future as the talk."""
    from monitor.analysis.modality import modality

    text = "Biden will discuss chips with the Japanese leader in visits to Washington in the coming days."
    at = text.index("visits")
    assert modality(text, (at, at + 6), []).mood == "possible"
    text = "Takaichi and Lee seek to mend ties at a summit in Seoul."
    at = text.index("summit")
    assert modality(text, (at, at + 6), []).mood is None


def test_a_country_after_one_of_its_cities_is_an_address(lexicon: Lexicon) -> None:
    """ "… in Vladivostok, Russia are urging Iran …": the parser may make "Russia" the
    subject; it is the city's address. A side's city is a place of that side."""
    text = "Leaders at the summit in Vladivostok, Russia are urging Iran to pay its debts."
    left = spans(text, ["Iran"], [])
    city = (text.index("Vladivostok"), text.index("Vladivostok") + len("Vladivostok"))
    right = [city, *spans(text, ["Russia"], [city])]
    reading = link_roles(text, left, right, [], lexicon, frozenset(), frozenset({city}))
    assert reading.link is None
    # the country itself, without its city before it, is the actor it always was
    text = "Russia is urging Iran to pay its debts."
    found = link_roles(text, spans(text, ["Iran"], []), spans(text, ["Russia"], []), [], lexicon)
    assert found.link is not None


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # "U.S.-Russia" is two names and a hyphen, as "US-Russia" is
        ("The U.S.-Russia relationship has sunk to a new low.", True),
        ("India aims to profit from U.S.-Russia tensions.", False),
    ],
)
def test_an_abbreviation_hyphenated_to_a_name_is_two_names(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    """The tokenizer's English rules split a hyphen only between letters; "U.S.-Russia"
    stayed one word, so the two names had one head and no link could be read."""
    first = "U.S." if linked else "India"
    a, b = text.index(first), text.index("Russia")
    others = [(text.index("U.S."), text.index("U.S.") + 4)] if not linked else []
    reading = link_roles(text, [(a, a + len(first))], [(b, b + 6)], others, lexicon)
    assert (reading.link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        ("US dollar sanctions on Iran have squeezed its oil exports.", True),
        ("Iran-US dollar talks were held in Doha.", True),
        ("The Iranian rial fell to a record low against the US dollar.", False),
    ],
)
def test_money_that_names_a_measure_or_talks_keeps_its_country(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    """A country's name on money is no actor ("the US dollar"), unless the money itself
    names a measure, a deal or talks of the country's ("US dollar sanctions on Iran")."""
    iran, us = text.index("Iran"), text.index("US")
    reading = link_roles(text, [(iran, iran + 4)], [(us, us + 2)], [], lexicon)
    assert (reading.link is not None) is linked


@pytest.mark.parametrize(
    "text",
    [
        "Heavy rain has been reported at weather stations across Thailand, Myanmar, Laos and "
        "Vietnam, as well as in China and South Asia.",
        "The chain opened stores across Thailand, Laos and Vietnam, as well as in China.",
    ],
)
def test_two_places_of_one_thing_are_not_linked(lexicon: Lexicon, text: str) -> None:
    """Two sides each in a preposition of place under one word are where something is, not
    parties to anything."""
    vietnam, china = text.index("Vietnam"), text.index("China")
    reading = link_roles(text, [(vietnam, vietnam + 7)], [(china, china + 5)], [], lexicon)
    assert reading.link is None


def test_a_long_caption_is_no_headline_and_a_doubled_word_is_read_once() -> None:
    """A caption of more than a headline's twenty words that writes three verbs or nouns
    in lower case is a sentence: its offices keep their capitals for the parser. A small
    word written twice by mistake is read once, the text's length (offsets) unchanged."""
    caption = (
        "President Ada Lovelace greets Prime Minister Alan Turing, Foreign Minister Grace "
        "Hopper, Defence Minister Charles Babbage and Finance Minister John Napier at Brighton "
        "Pavilion during talks on the sidelines of the Northern Leaders' Summit"
    )
    assert not is_title_case(caption)
    assert is_title_case("President Biden Demands Russia Release Wall Street Journal Reporter")
    text = "Kim Jong Un met with with Vladimir Putin on Tuesday."
    doc = parse_sentence(text)
    assert len(doc.text) == len(text)
    assert [t.text for t in doc].count("with") == 1


def _reading(
    text: str, left: str, right: str, others: tuple[str, ...], lexicon: Lexicon
) -> Reading:
    """The reading of ``text`` with each name found where it first occurs."""

    def span(name: str) -> list[tuple[int, int]]:
        at = text.index(name)
        return [(at, at + len(name))]

    rest = [s for name in others for s in span(name)]
    return link_roles(text, span(left), span(right), rest, lexicon)


@pytest.mark.parametrize(
    ("text", "left", "right", "others", "linked"),
    [
        # a Title Case headline that lists its subjects with commas only: "A and B will …"
        ("S Korea, US Stage Air Drills Amid Tensions", "S Korea", "US", (), True),
        ("Japan, S Korea, US Conduct Drill Amid Tension", "Japan", "S Korea", ("US",), True),
        # the list as an adverbial noun and a subject: its last name stands for all
        ("Japan, Philippines, US Hold Drills Near Shoal", "Japan", "Philippines", ("US",), True),
        # a list that shares an attribute stays a list
        ("Brazil, US, Argentina Face Inflation Woes", "Brazil", "US", ("Argentina",), False),
        # the verb hung below the noun it governs ("sign" a modifier of "agreement")
        ("Egypt, Sudan sign border agreement", "Egypt", "Sudan", (), True),
        # a progressive without its "are", before an attribution after a comma
        ("Chile, Peru trading fish via Bolivia, report says", "Chile", "Peru", ("Bolivia",), True),
        # the names hung from a verb with no subject: "will" before it gives them back
        ("Egypt and Sudan sign free trade deal", "Egypt", "Sudan", (), True),
    ],
)  # fmt: skip
def test_a_comma_list_of_subjects_is_read_as_one(
    lexicon: Lexicon, text: str, left: str, right: str, others: tuple[str, ...], linked: bool
) -> None:
    assert (_reading(text, left, right, others, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "left", "right", "others", "linked"),
    [
        # two objects of one verb, each with a matter of its own: co-objects
        ("China rebukes Japan over tariffs and Russia over drills", "Japan", "Russia", ("China",), False),
        (
            "Beijing rebuked Tokyo over Taiwan remarks and Moscow over an incident.",
            "Tokyo", "Moscow", ("Beijing", "Taiwan"), False,
        ),
        ("Orban lashes out at Berlin over migration and at Kyiv over rights", "Berlin", "Kyiv", (), False),
        ("Japan protested to China over the incursion and to Russia over drills", "China", "Russia", ("Japan",), False),
        # the verb's subject still acts on each of them
        ("China rebukes Japan over tariffs and Russia over drills", "China", "Russia", ("Japan",), True),
        ("Japan protested to China over the incursion and to Russia over drills", "Japan", "Russia", ("China",), True),
    ],
)  # fmt: skip
def test_objects_told_again_with_their_own_matter_are_co_objects(
    lexicon: Lexicon, text: str, left: str, right: str, others: tuple[str, ...], linked: bool
) -> None:
    assert (_reading(text, left, right, others, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "left", "right", "linked"),
    [
        # each side names the body or the person that is a member of the joint subject
        ("The French utility and the Chinese state group agreed to build a plant.", "French", "Chinese", True),
        ("Vietnam's party chief and the Russian president agreed to expand cooperation.", "Vietnam", "Russian", True),
        ("The Russian oil company and its Vietnamese partner agreed to extend the venture.", "Russian", "Vietnamese", True),
        # things, not bodies, of the two sides
        ("Chinese investment and Indian trade expanded.", "Chinese", "Indian", False),
    ],
)  # fmt: skip
def test_the_bodies_of_two_sides_are_a_joint_subject(
    lexicon: Lexicon, text: str, left: str, right: str, linked: bool
) -> None:
    assert (_reading(text, left, right, (), lexicon).link is not None) is linked


@pytest.mark.parametrize(
    "text",
    [
        "Japan beat the Philippines in a women's football friendly",
        "Filipino boxer stuns Japanese champion in Tokyo",
        "Ukraine Tops Germany in Handball Qualifier Upset",
    ],
)
def test_a_game_named_by_its_sport_or_players_is_no_relation(lexicon: Lexicon, text: str) -> None:
    names = re.findall(r"Japan(?:ese)?|Philippines|Filipino|Ukraine|Germany", text)
    assert len(names) == 2
    assert _reading(text, names[0], names[1], (), lexicon).link is None


@pytest.mark.parametrize(
    ("text", "mediator", "party", "others"),
    [
        # a headline's verb read as a plural noun, after a first hint that finds nothing
        ("China brokers agreement between Saudi Arabia and Iran to restore relations.", "China", "Saudi Arabia", ("Iran",)),
        # "China-brokered" written without its hyphen
        ("Nobody should overreact to the Chinese brokered Saudi-Iranian deal", "Chinese", "Saudi", ("Iranian",)),
        # a role the subject takes in a clause of its own
        ("Beijing stepped into a vacuum, becoming a mediator in Saudi Arabia and Iran relations.", "Beijing", "Saudi Arabia", ("Iran",)),
        ("Buoyed after facilitating a deal between Iran and Saudi Arabia, Xi Jinping is set to visit Russia.", "Xi Jinping", "Saudi Arabia", ("Iran", "Russia")),
        # the subject's effort to restore others' ties; a relation others' talks aim at;
        # talks another backs
        ("The Kremlin steps up efforts to restore ties between Turkey and Syria.", "Kremlin", "Turkey", ("Syria",)),
        ("Moscow hosts four-way talks aimed at a Syria-Turkey rapprochement.", "Moscow", "Turkey", ("Syria",)),
        ("Moscow-backed talks between Turkey and Syria will resume.", "Moscow", "Turkey", ("Syria",)),
        # a verb the subject's own verb controls
        ("Turkey offers to mediate between Israel and Hamas.", "Turkey", "Israel", ("Hamas",)),
        # who opens, convenes or chairs others' talks brings them together
        ("Qatar's emir opens Sudan-Chad talks at his palace", "Qatar", "Chad", ("Sudan",)),
        ("Norway convened talks between Colombia and the rebels.", "Norway", "Colombia", ()),
        # each member of a list of mediators
        ("The deal between Russia and Ukraine was brokered by the UN and Turkey.", "Turkey", "Russia", ("UN", "Ukraine")),
        # a second clause conjoined to the first has its subject too
        ("Buoyed after cementing his power and facilitating a deal between Iran and Saudi Arabia, Xi Jinping is set to visit Russia.", "Xi Jinping", "Saudi Arabia", ("Iran", "Russia")),
    ],
)  # fmt: skip
def test_a_mediator_told_in_other_words_is_linked_to_each_party(
    lexicon: Lexicon, text: str, mediator: str, party: str, others: tuple[str, ...]
) -> None:
    reading = _reading(text, mediator, party, others, lexicon)
    assert reading.link is not None
    assert reading.link.how == "mediation"


@pytest.mark.parametrize(
    ("text", "one", "other", "others"),
    [
        # an owner's efforts are the owner's, not the subject's who praises them
        ("Russia praised Oman's efforts to restore ties between Iran and Saudi Arabia.", "Russia", "Iran", ("Oman", "Saudi Arabia")),
        # the object's mediation, which the subject only urges
        ("Turkey urged Oman to mediate between Israel and Iran.", "Turkey", "Israel", ("Oman", "Iran")),
        # a party restoring its own ties mediates nothing
        ("Turkey restored ties with Syria.", "Turkey", "Syria", ()),
        # a party opening its own talks mediates nothing
        ("Turkey opened talks with Syria on Monday.", "Turkey", "Syria", ()),
    ],
)  # fmt: skip
def test_no_mediation_by_a_party_or_by_one_who_praises_another_s(
    lexicon: Lexicon, text: str, one: str, other: str, others: tuple[str, ...]
) -> None:
    reading = _reading(text, one, other, others, lexicon)
    assert reading.link is None or reading.link.how != "mediation", reading.link


def test_a_clause_of_the_object_takes_no_role_of_the_subject(lexicon: Lexicon) -> None:
    """A role taken in a clause is its subject's: "Oman, which became a mediator" is
    Oman's role, not Beijing's, whose only act is thanking Oman."""
    text = "Beijing thanked Oman, which became a mediator in Saudi Arabia and Iran relations."
    assert _reading(text, "Beijing", "Saudi Arabia", ("Oman", "Iran"), lexicon).link is None


@pytest.mark.parametrize(
    ("text", "left", "right", "linked"),
    [
        # a dialogue is a relation noun the pair modifies; discussing is done together
        ("Officials restart the UK-China dialogue", "UK", "China", True),
        ("Germany and Ukraine discussed tank deliveries.", "Germany", "Ukraine", True),
        ("Germany and France discussed the crisis separately.", "Germany", "France", False),
        # a thing agreed "between" two bodies, the thing misread as the subject
        ("The show, agreed between Spain's culture ministry and Chinese heritage authorities, opens.", "Spain", "Chinese", True),
    ],
)  # fmt: skip
def test_dialogues_discussions_and_what_two_bodies_agree(
    lexicon: Lexicon, text: str, left: str, right: str, linked: bool
) -> None:
    assert (_reading(text, left, right, (), lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a participle describing the side's noun is its act, in the other's city
        ("Australian tourist arrested in Bali with cocaine", True),
        # a relative clause of where someone lived is no act in the city
        ("Australian painter who spent four decades in Bali dies at 82", False),
    ],
)
def test_a_participle_of_a_side_s_noun_places_it_in_the_other_s_city(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    bali = (text.index("Bali"), text.index("Bali") + 4)
    reading = link_roles(text, [(0, 10)], [bali], [], lexicon, places=frozenset({bali}))
    assert (reading.link is not None) is linked


@pytest.mark.parametrize(
    ("text", "left", "right", "linked"),
    [
        # a mutual act each does on its own, said after the verb
        ("Australia and Japan discussed the problem at separate briefings.", "Australia", "Japan", False),
        # "respective" inside what they agreed to do together is still one agreement
        ("Iran and Russia signed an agreement to integrate their respective banking systems.", "Iran", "Russia", True),
        # what is won from the other side is no game against it, sport word or not
        ("France wins German backing for football stadium security pact", "France", "German", True),
        ("Taiwan's chip champion TSMC wins US approval for a plant", "Taiwan", "US", True),
        # a player is a contestant, however the tagger calls the noun
        ("Australian hope loses 7-5, 6-3 to China's Yu in the final", "Australian", "China", False),
        # two sides hyphened before the noun of a body are its members
        ("Franco-German council of ministers meets in Toulon", "Franco", "German", True),
        ("The US-China business council meets in Washington", "US", "China", True),
        ("A Japan-China business conference underscores warming ties", "Japan", "China", True),
        ("A Chinese-Brazilian joint venture opens a battery plant", "Chinese", "Brazilian", True),
        # not hyphened: two things, each of its own side
        ("A German council and French ministers meet in Paris", "German", "French", False),
        # hyphened before another noun: left to the other readings
        ("A Japanese-American internment camp opens as a museum", "Japanese", "American", False),
    ],
)  # fmt: skip
def test_separate_acts_joint_bodies_and_what_is_won_from_the_other(
    lexicon: Lexicon, text: str, left: str, right: str, linked: bool
) -> None:
    assert (_reading(text, left, right, (), lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "left", "right", "linked"),
    [
        # meeting a thing is reaching it, not a meeting
        ("Japan, Philippines Meet Targets on Renewable Power", "Japan", "Philippines", False),
        ("Japan and the Philippines met in Manila on Monday.", "Japan", "Philippines", True),
        # a clash between the two, not one they both have with a third
        ("Brazil and the US clash over tariffs", "Brazil", "US", True),
        ("Brazil, US Clash With EU Over Deforestation Rules", "Brazil", "US", False),
        ("The Brazilian bank and the US fund teamed up to bid for the company.", "Brazilian", "US", True),
    ],
)  # fmt: skip
def test_meetings_clashes_and_teams_of_the_two(
    lexicon: Lexicon, text: str, left: str, right: str, linked: bool
) -> None:
    assert (_reading(text, left, right, (), lexicon).link is not None) is linked


def test_three_leaders_to_attend_a_summit_are_no_pair(lexicon: Lexicon) -> None:
    """ "Trump, Lula, Macron to Attend UN Climate Summit": the parser hangs the third name
    apart and reads the first two as a verbless "X and Y: friends"; three leaders who each
    attend a summit are not together."""
    text = "Trump, Lula, Macron to Attend UN Climate Summit"
    trump, lula, macron = (0, 5), (7, 11), (13, 19)
    reading = link_roles(text, [trump], [lula], [macron], lexicon, frozenset({trump, lula, macron}))
    assert reading.link is None


def test_a_verbless_visit_to_the_other_s_city_is_a_journey(lexicon: Lexicon) -> None:
    """ "Marcos on state visit to Tokyo": the fragment's head travels to the city, as in
    "Marcos on state visit to Japan"; a visit of someone else's is not his."""
    text = "Marcos on state visit to Tokyo"
    marcos, tokyo = (0, 6), (25, 30)
    reading = link_roles(
        text, [marcos], [tokyo], [], lexicon, frozenset({marcos}), frozenset({tokyo})
    )
    assert reading.link is not None and text[slice(*reading.link.predicate)] == "visit"


@pytest.mark.parametrize(
    ("text", "left", "right", "linked"),
    [
        # a person's name the tagger reads as an adjective of a plural noun that is the verb
        ("Albanese tours Japanese shipyard", "Albanese", "Japanese", True),
        # a plural noun that is no verb's third person stays a noun
        ("Japanese ramen and Filipino halo-halo top Asian food poll", "Japanese", "Filipino", False),
    ],
)  # fmt: skip
def test_a_name_read_as_an_adjective_before_its_verb(
    lexicon: Lexicon, text: str, left: str, right: str, linked: bool
) -> None:
    assert (_reading(text, left, right, (), lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "left", "right", "others", "linked"),
    [
        # a preposition said twice keeps its objects apart
        ("China's commerce ministry said export restrictions imposed by the United States and by the Netherlands were hurting global supply chains.", "United States", "Netherlands", ("China",), False),
        # the people of a list of more than two act together in a mutual act ...
        ("Ministers from Australia, India, Japan and the United States agreed to expand training.", "Australia", "India", ("Japan", "United States"), True),
        # ... not in an act each does toward a third
        ("Leaders from Iran, Qatar and Saudi Arabia expressed support for Putin.", "Iran", "Saudi Arabia", ("Qatar", "Putin"), False),
    ],
)  # fmt: skip
def test_repeated_prepositions_and_the_people_of_a_longer_list(
    lexicon: Lexicon, text: str, left: str, right: str, others: tuple[str, ...], linked: bool
) -> None:
    assert (_reading(text, left, right, others, lexicon).link is not None) is linked


def test_two_leaders_acting_on_a_group_of_others_each_act_alone(lexicon: Lexicon) -> None:
    """ "Li Qiang and Lee Jae-myung greeted the visiting ministers": each greets a group of
    others, as each congratulates a third person; no act of the two together."""
    text = "Li Qiang and Lee Jae-myung greeted the visiting ministers in Johannesburg."
    li, lee = (0, 8), (13, 26)
    reading = link_roles(text, [li], [lee], [], lexicon, frozenset({li, lee}))
    assert reading.link is None


def test_a_script_named_after_a_country_is_no_actor(lexicon: Lexicon) -> None:
    text = "South Korea's National Museum Opens Hall of Chinese-Character Calligraphy"
    assert _reading(text, "South Korea", "Chinese", (), lexicon).link is None


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # an accident: the other side only where it happened
        ("Canadian tourist killed in bus crash in southwest China", False),
        ("Two Canadians injured in landslide in China's Yunnan province", False),
        # the place on the verb by "on": a road, a coast of the other's
        ("Canadian truck driver dies in crash on Chinese motorway", False),
        # a place's name on the accident is where it happened
        ("Two Canadians hurt in China bus crash", False),
        # a vessel's own accident, told by its verb
        ("Canadian-flagged tanker sinks in the South China Sea 200 km off China", False),
        ("Canadian-flagged cargo ship runs aground near Hainan, in China", False),
        # an attack is no accident, and the place's own crash is left to the other readings
        ("Canadian tourist killed in missile strike in southwest China", True),
        ("A Canadian warship sank a Chinese fishing boat", True),
    ],
)
def test_harm_in_an_accident_makes_the_other_side_a_place(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    canada = re.search(r"Canadians?", text)
    china = re.search(r"China|Chinese", text)
    assert canada is not None and china is not None
    reading = link_roles(text, [canada.span()], [china.span()], [], lexicon)
    assert (reading.link is not None) is linked


@pytest.mark.parametrize(
    ("text", "left", "right", "linked"),
    [
        ("Vietnam to play Russia in football friendly", "Vietnam", "Russia", False),
        # a side in a clause of its own is no rival in the game
        ("Brazilian star plays first match since leaving prison in the United States", "Brazilian", "United States", True),
        # the contest's own verb in a clause of the subject's verb is the game still
        ("Mali come from behind to knock Ghana out of the Africa Cup", "Mali", "Ghana", False),
    ],
)  # fmt: skip
def test_playing_the_other_side_is_a_game_unless_it_is_a_clause_away(
    lexicon: Lexicon, text: str, left: str, right: str, linked: bool
) -> None:
    assert (_reading(text, left, right, (), lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "left", "right", "linked"),
    [
        # a row, a rift, a spat, a reset: relations the pair names
        ("Inside the Canada-India row", "Canada", "India", True),
        ("Australia, Japan end spat over whaling", "Australia", "Japan", True),
        ("Canada, India Restore High Commissioners in Diplomatic Reset", "Canada", "India", True),
    ],
)  # fmt: skip
def test_rows_rifts_and_resets_are_relations(
    lexicon: Lexicon, text: str, left: str, right: str, linked: bool
) -> None:
    assert (_reading(text, left, right, (), lexicon).link is not None) is linked


def test_a_subject_with_a_name_in_it_before_its_plural_noun_verb(lexicon: Lexicon) -> None:
    """ "Indian national pleads guilty in New York": "pleads" read as a plural noun the
    subject's words modify; read with "will plead", the Indian acts in the US city."""
    text = "Indian national pleads guilty in New York over plot"
    york = (text.index("New York"), text.index("New York") + 8)
    reading = link_roles(text, [(0, 6)], [york], [], lexicon, places=frozenset({york}))
    assert reading.link is not None


@pytest.mark.parametrize(
    ("text", "left", "right", "others", "linked"),
    [
        # people who live abroad, however the tagger reads them, are where they live
        ("Iranian expatriates in Doha queue to vote in presidential election", "Iranian", "Doha", (), False),
        ("Chilean residents of Lima mark their national day with a parade", "Chilean", "Lima", (), False),
        # but an authority of the place acts on them there
        ("A Japanese tourist was arrested in China on spying charges", "Japanese", "China", (), True),
        ("Japanese expats in China detained on spying charges", "Japanese", "China", (), True),
        # a meeting of one side with a third party has the other only for its venue,
        # wherever the parser hangs the place
        ("The US and Chinese foreign ministers met for two hours in the Indonesian capital.", "US", "Indonesian", ("Chinese",), False),
        ("Kim met Putin for three hours in the Russian city.", "Kim", "Russian", ("Putin",), False),
        # the place hung on the verb that holds the meeting, no article before it
        ("Sunak and Kim hold final meeting in Lima", "Kim", "Lima", ("Sunak",), False),
        ("Kim met the Russian leader for three hours in Vladivostok.", "Kim", "Russian", (), True),
        # an amount named by its owner's possessive after a multiple is compared, not acted on
        ("Qatar's output per worker is five times Iran's, figures show", "Qatar", "Iran", (), False),
        ("Qatar's gas exports are now ten times Iran's, data from the agency show", "Qatar", "Iran", (), False),
        ("Chile's birth rate slips further below Peru's", "Chile", "Peru", (), False),
        ("Chilean jets flew below Peru's radar cover", "Chilean", "Peru", (), True),
        # a game's result the act holds the other to, or a sweep in a game
        ("Indonesia hold US to 2-2 draw in Under-20 World Cup opener", "Indonesia", "US", (), False),
        ("China sweep Kenya in Olympic handball opener", "China", "Kenya", (), False),
        ("China sweeps Kenya into its orbit with cheap loans", "China", "Kenya", (), True),
        # the contest's own noun as the object; medals and the world championships
        ("Peru completed a clean sweep of the diving titles at the world championships in Santiago", "Peru", "Santiago", (), False),
        ("Peru's divers sweep all 13 golds at Santiago worlds", "Peru", "Santiago", (), False),
        # what one holds the other to be
        ("Iran holds the US responsible for the attack on its embassy", "Iran", "US", (), True),
        ("Tokyo deems Moscow responsible for the collapse of the talks", "Tokyo", "Moscow", (), True),
        # a noun the tagger read as a verb after a name: the object it is
        ("Lima rejects Santiago call for a joint fishing zone", "Lima", "Santiago", (), True),
    ],
)  # fmt: skip
def test_residents_venues_amounts_results_and_judgements(
    lexicon: Lexicon, text: str, left: str, right: str, others: tuple[str, ...], linked: bool
) -> None:
    assert (_reading(text, left, right, others, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "left", "right", "others", "linked"),
    [
        # what a speaker says of the other side's act, told by a gerund with its own subject
        ("The Russian leader warned that Finland's joining the alliance would be a mistake.", "Russian", "Finland", (), True),
        # appearing or fighting alongside someone is company; a list "alongside" is not
        ("Speaking alongside President Niinisto of Finland, the Russian leader praised the talks.", "Russian", "Finland", (), True),
        ("Russian troops fought alongside Syrian forces near Aleppo.", "Russian", "Syrian", (), True),
        ("Russia, alongside Syria, voted against the resolution.", "Russia", "Syria", (), False),
        # one act of a list of agents, made joint by its word
        ("The dish was inscribed after a joint bid by Algeria, Morocco and Tunisia.", "Algeria", "Morocco", ("Tunisia",), True),
        ("The bid, submitted jointly by Algeria and Morocco, succeeded.", "Algeria", "Morocco", (), True),
        ("The statement was condemned by Algeria and Morocco.", "Algeria", "Morocco", (), False),
        # a headline's name and colon: what the name says
        ("Kim Jong Un: Russia will win the war", "Kim Jong Un", "Russia", (), True),
        ("The US Navy: Iran seizes oil tanker in the Gulf", "US", "Iran", (), True),
        ("Analysis: Russia and Syria vote at the UN", "Russia", "Syria", (), False),
    ],
)  # fmt: skip
def test_speech_company_joint_acts_and_a_speaker_s_colon(
    lexicon: Lexicon, text: str, left: str, right: str, others: tuple[str, ...], linked: bool
) -> None:
    assert (_reading(text, left, right, others, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # help for a third party, the other side only the author of the war on it
        ("NATO urged Japan to step up its support for Ukraine in the face of Russia's invasion.", False),
        ("Japan pledged more support for Ukraine's fight against Russia.", False),
        ("Japan sent generators to Ukraine to help it survive Russian attacks on its power grid.", False),
        # the helper's own verb acts on the war, or the help is for the war itself
        ("Japan vowed to lead the world in fighting Russian aggression with more aid for Ukraine.", True),
        ("Japan protested against Russia's invasion of Ukraine and pledged support for Kyiv.", True),
        ("Japan condemned Russia's invasion of Ukraine and pledged more aid for Kyiv.", True),
        ("Officials criticised Japan's support for Russia's invasion of Ukraine.", True),
    ],
)  # fmt: skip
def test_help_for_a_third_party_in_the_other_side_s_war(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    japan = re.search(r"Japan", text)
    russia = re.search(r"Russian?", text)
    thirds = [m.span() for m in re.finditer(r"Ukraine|Kyiv|NATO", text)]
    assert japan is not None and russia is not None
    reading = link_roles(text, [japan.span()], [russia.span()], thirds, lexicon)
    assert (reading.link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a report of the other side's person dying with no one who kills
        ("A 30-year-old visitor from Chile died when her car left the road, Peruvian police said.", False),
        ("Peruvian police said a Chilean tourist drowned off the coast.", False),
        # someone kills, or the dead are combatants, or the said act is no death
        ("Peruvian police said a Chilean tourist was killed by a gunman.", True),
        ("Peru said Chilean soldiers died in the clash at the border.", True),
        ("Peru said Chile's ambassador had visited the site.", True),
    ],
)  # fmt: skip
def test_a_report_of_a_death_no_one_caused_is_no_act_on_the_dead(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    peru = re.search(r"Peru(vian)?", text)
    chile = re.search(r"Chile(an)?", text)
    assert peru is not None and chile is not None
    reading = link_roles(text, [peru.span()], [chile.span()], [], lexicon)
    assert (reading.link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a subject ready or willing to mediate offers to, as "offered to host" does
        ("Peru is ready to host talks between Chile and Bolivia in Lima", True),
        ("Peru is willing to mediate between Chile and Bolivia", True),
        # not when it is not, or cannot
        ("Peru is not ready to host talks between Chile and Bolivia", False),
        ("Peru is unable to host talks between Chile and Bolivia", False),
    ],
)  # fmt: skip
def test_readiness_to_mediate_is_an_offer_to(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_reading(text, "Peru", "Chile", ("Bolivia",), lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # an absolute "with" after a comma says something of its own subject: no partner
        ("A survey puts Peru's capital fifth worldwide, with Chile also in the top 20", False),
        ("Peru's exports rose 4 percent, with Chile close behind", False),
        # a partner of the act, with or without a comma, and its place after it
        ("Peru held talks on the border, with Chile in Lima", True),
        ("Peru held talks on the border with Chile in Lima", True),
        # a participle is what the name does in the act: one who takes part
        ("Tributes poured in for Peru's archbishop, with Chile's president saying his legacy would endure", True),
    ],
)  # fmt: skip
def test_an_absolute_with_is_no_partner(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_reading(text, "Peru", "Chile", (), lexicon).link is not None) is linked


def _peru_chile(text: str, lexicon: Lexicon, side: str = r"Peru(vians?)?") -> Reading:
    """The reading of ``text`` between Peru (``side``) and Chile, Bolivia and its people a
    third party."""
    peru = re.search(side, text)
    chile = re.search(r"Chile(an)?", text)
    assert peru is not None and chile is not None
    others = [m.span() for m in re.finditer(r"Bolivia|Arce|Boluarte", text)]
    return link_roles(text, [peru.span()], [chile.span()], others, lexicon)


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # what the subject demands the other do is its act on it
        ("Peru demanded that Chile punish the perpetrators and protect its citizens", True),
        ("Peru urged that Chile open the border", True),
        # people of one side only where they stay or live: travellers, settlers, a people
        ("Peruvian tourists pack Chile's beaches", False),
        ("Thousands of Peruvians spend the New Year holiday in Chile", False),
        ("Peruvians who settled in Chile's capital have opened small eateries", False),
        # who teach or study abroad for themselves; teaching the other's troops is an act
        ("A Peruvian scholar who lectured in Chile has died", False),
        ("Peruvian students who study in Chile face higher fees", False),
        ("Peru will teach Chilean troops to fly drones", True),
        ("Ethnic Peruvians rally in Chile's capital over a television show", False),
        ("Peru warns Chile over ethnic Peruvian protests", True),
        # a plural noun with a name before it and an infinitive after it is the verb
        ("Bolivia's Arce pledges to back Peru's trade bid, keep pressure on Chile", False),
        ("Peru's Boluarte pledges to expel Chilean diplomats", True),
        # a list of values, each name with its number
        ("New tariffs: Peru hit with 32%, Chile 24%", False),
        ("New tariffs: Peru hit with 37%, Chile with 34%", False),
        ("Peru raised its tariff on Chilean copper to 12%, Chile said", True),
        # a people's region or community inside the other's country
        ("The governor of Peru's Chilean Regional State resigned on Monday", False),
        # a couple marrying where they are married is a private stay
        ("Peruvian celebrity couple marry at a Chilean cliff-top resort", False),
        # a measure of the other's set beside one's own is compared, not acted on
        ("Peru's copper output rose 5 percent, well above Chile's output", False),
        ("Peru's inflation rate fell below Chile's rate for the first time", False),
        ("Peru's missile flew above Chile's islands", True),
        # an absolute "with" the parser hung from the object, not the verb
        (
            "Ecuador, Uruguay and Peru have some of the region's highest debt ratios, with "
            "Chile and Bolivia also near the top, the bank said",
            False,
        ),
        ("Peru signed a pact with Chile and Bolivia on Monday", True),
        ("Peru offers residence to investors, with Chile's scheme the most popular", False),
        # "in exchange for" is in return, no trade between the subjects
        ("Malta, Peru, Chile and several islands offer residence in exchange for investment", False),
        ("Peru and Chile exchange prisoners at the border", True),
        # "according to" only attributes: no accord between the subjects
        ("Peru and Chile offer residence to rich investors, according to a new report", False),
        ("Peru and Chile signed an accord on fishing rights, according to officials", True),
        # a people's adjective an apposition calls a language
        ("Peru will teach Chilean, one of the region's spoken languages, in its schools", False),
        ("Peru will teach Chilean soldiers in its schools", True),
        # a relative clause describing a third person is that person's matter
        (
            "Peru's president arrived in La Paz for talks with Luis Arce, whose government is "
            "looking to align more with Washington on Brazil and Chile.",
            False,
        ),
        ("Peru hosted Chile's president, who promised more trade", True),
        # movers of no side: the two are only places on their way
        ("Locust swarms cross from Peru into northern Chile", False),
        ("More migrants are braving the route across Peru to Chile", False),
        ("Peruvian troops crossed into Chile", True),
        ("Peruvian copper flows to Chile", True),
        # the other followed: the same act done after it
        ("Investors fear Peru might follow Chile into default", False),
        ("Peru will follow Chile in banning the app", False),
        # a person of neither side leaving one for the other; a range a noun spans
        ("Macron leaves Chile for Peru after talks", False),
        ("Aid groups stretched by floods from Peru to Chile", False),
        ("Exports from Peru to Chile doubled last year", True),
        # a birthplace, the city's country beside it
        ("The Chilean novelist, born in Lima, Peru, was honoured in Washington", False),
        ("The Chilean envoy, born in Bolivia, protested to Peru over the border", True),
        # the signed texts of a relation
        ("Peru declares the Chile protocols void", True),
    ],
)  # fmt: skip
def test_demands_stays_peoples_and_a_headline_s_pledge(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    reading = _peru_chile(text, lexicon)
    assert (reading.link is not None) is linked, reading


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # an answer named as such, while the other acts
        ("Lima vows countermeasures as Chile joins the alliance", True),
        # members of a group, each on its own; a vote each, the verb left out
        ("Peru and Chile are among 23 allies meeting the target this year", False),
        ("Peru voted in favour and Chile against, as did Bolivia", False),
        ("Peru and Chile are in talks on the border", True),
        # a host brings the two together for an occasion of theirs: its parties
        ("Bolivia will host Peru and Chile for the signing of a peace deal", True),
        ("Bolivia invited Peru and Chile to talks in La Paz", True),
        ("Bolivia sanctioned Peru and Chile for their roles in the war", False),
        ("Bolivia's minister will visit Peru and Chile this week for talks on migration", False),
        # a vessel of one side off a place of the other: a place near, no actor there
        ("Peruvian-flagged tanker catches fire off Chile's Antofagasta", False),
        ("A Peruvian tanker took on water off Chile on Friday", False),
        ("Peru and Bolivia to hold naval drills off Chile", True),
        # a place a relative clause of the subject tells of is not the subject's partner
        ("The US envoy, who visited Lima last month, will meet Chilean officials", False),
        ("Peru's president, who visited Santiago last month, said Chile must act", True),
        # a list of values joined by "and"; a consequence told as a second object
        ("The survey gave Peru 3 points out of 100 and Chile 83", False),
        ("Sanctions on Peru lift fuel prices, a setback for Chile's budget", False),
        # an amount named by its owner's possessive and a number
        ("Chilean output fell to 740,000 barrels a day, below Peru's 890,000", False),
    ],
)  # fmt: skip
def test_answers_groups_gapped_votes_and_counted_amounts(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    reading = _peru_chile(text, lexicon, r"Peru|Lima")
    assert (reading.link is not None) is linked, reading


def test_a_headline_verb_read_as_a_noun_after_a_name_decides(lexicon: Lexicon) -> None:
    """ "Trump brands Petro and Maduro 'drug leaders'": read with "will brand", the two are
    co-objects of a third party, whatever the first reading made of them."""
    cues = lexicon
    text = "Trump brands Petro and Maduro 'drug leaders'"
    span = lambda n: (text.index(n), text.index(n) + len(n))  # noqa: E731
    reading = link_roles(
        text,
        [span("Petro")],
        [span("Maduro")],
        [span("Trump")],
        cues,
        persons=frozenset({span("Petro"), span("Maduro"), span("Trump")}),
    )
    assert reading.link is None, reading


def test_a_name_that_opens_with_a_small_word_is_read_as_a_name() -> None:
    """ "To Lam begins China trip, meets Xi": the model reads "To" as a preposition and the
    person vanishes from the clause; a name's opening small word is given to it as a name.
    "The" of a place's name stays the article it is."""
    from monitor.analysis.pipeline import span_head

    title = "To Lam begins China trip in Guangzhou, meets Xi on Monday"
    lam = span_head(
        parse_sentence(title, [(0, 6), (title.index("Xi"), title.index("Xi") + 2)]), (0, 6)
    )
    assert lam is not None and lam.pos_ == "PROPN" and lam.dep_ == "nsubj"
    welcomed = "Xi Jinping welcomed To Lam with a ceremony on Monday."
    at = welcomed.index("To Lam")
    guest = span_head(parse_sentence(welcomed, [(0, 10), (at, at + 6)]), (at, at + 6))
    assert guest is not None and guest.dep_ == "dobj" and guest.head.lower_ == "welcomed"
    hague = parse_sentence("The Hague hosts the court on Monday.", [(0, 9)])
    assert hague[0].lower_ == "the" and hague[0].dep_ == "det"


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # the noun a participle describes is its subject: the noun's side acts in the clause
        ("Chilean software helping Peru to track smugglers at the border", True),
        ("Chilean engineers helping Peru build a port", True),
        # as it does with a finite verb
        ("Chilean engineers are helping Peru to build a port", True),
    ],
)  # fmt: skip
def test_a_participle_s_noun_is_its_subject(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a paper or a channel named after a place: the place is no actor
        ("The Lima Post interviewed Chilean miners at the border", False),
        ("The Santiago Times reported that Peru closed the border", False),
        ("Peru International moves its studio to Chile after threats", False),
        # a state body or a state firm named after it is its side's
        ("Peru's Foreign Ministry says Chile violated the border", True),
        ("Bank of Peru lends to Chilean miners", True),
    ],
)  # fmt: skip
def test_a_paper_named_after_a_place_is_no_actor(lexicon: Lexicon, text: str, linked: bool) -> None:
    side = r"Lima|Peru(vians?)?"
    chile = r"Santiago|Chile(an)?s?"
    a = re.search(side, text)
    b = re.search(chile, text)
    assert a is not None and b is not None
    reading = link_roles(text, [a.span()], [b.span()], [], lexicon)
    assert (reading.link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # an understanding the pair reaches together is a mutual act, like a deal
        ("Peru and Chile are inching toward an understanding on fishing rights", True),
        ("Peru, Chile reach understanding on border crossings", True),
    ],
)  # fmt: skip
def test_an_understanding_reached_together_is_mutual(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a hyphen inside another name after the side's own is no pair of parties
        ("Two Chilean clinic owners are suspected in the death of a Peruvian K-Pop singer", True),
        ("Chilean police question a Peruvian J-Pop star", True),
        # a pair of sides before the noun still is, common nouns between or not
        ("Peru aims to profit from a Chile-Bolivia trade war", False),
        ("Peru aims to profit from Chile-Bolivia tensions", False),
    ],
)  # fmt: skip
def test_a_hyphen_in_another_name_pairs_no_parties(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # where weapons were built is their origin; a use against the other turns them on it
        ("The drones were built in Chile and used against Peru", True),
        ("Drones built in Chile were used by Bolivian forces against Peru", True),
        ("The missiles were made in Chile, shipped across the lake and then used by Bolivian forces against Peru", True),
        # a thing made there and sold is no weapon turned on anyone
        ("Cars built in Chile were sold in Peru", False),
    ],
)  # fmt: skip
def test_weapons_built_in_a_country_are_its(lexicon: Lexicon, text: str, linked: bool) -> None:
    chile = re.search(r"Chile", text)
    peru = re.search(r"Peru", text)
    assert chile is not None and peru is not None
    others = [m.span() for m in re.finditer(r"Bolivian", text)]
    reading = link_roles(text, [chile.span()], [peru.span()], others, lexicon)
    assert (reading.link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # talks with a group a side backs are the group's, not its backer's
        ("Peru holds talks with Chile-backed rebels to end the war", False),
        ("Peruvian officials were welcomed to the rebel capital for talks with the Chile-backed Tupac rebels", False),
        # what is done against such a group, or by it, stays the backer's
        ("Peru strikes Chile-backed rebels near the border", True),
        ("Chile-backed rebels attack Peru's border posts", True),
        # talks with the backer itself are talks with it
        ("Peru holds talks with Chile on the war", True),
    ],
)  # fmt: skip
def test_talks_with_a_backed_group_are_not_its_backer_s(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # what a subject is meant or serves as is its act on whom that names
        ("Peru's drills were meant as a deterrent against Chile", True),
        ("Peru's new base serves as a warning to Chile", True),
        # "as" that likens is no act
        ("Peru, as well as Chile, condemned the test", False),
    ],
)  # fmt: skip
def test_what_a_subject_is_meant_as_is_its_act(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a meeting noun's place, when a third party is among the parties it names: a venue
        ("Obama-Arce summit in Lima ends without a deal", False),
        # the place's own side among them: its visitor is there
        ("Humala-Bachelet summit in Lima ends without a deal", True),
        # a place the parser hangs on a span of time is the verb's
        ("A Chilean businesswoman was jailed for 15 years in Peru", True),
        ("Chilean trader jailed for 15 years in Peru", True),
    ],
)  # fmt: skip
def test_a_meeting_s_place_and_a_time_s_place(lexicon: Lexicon, text: str, linked: bool) -> None:
    peru = re.search(r"Peru|Lima", text)
    chile = re.search(r"Chilean|Bachelet|Obama", text)
    assert peru is not None and chile is not None
    others = [m.span() for m in re.finditer(r"Arce|Obama", text)]
    if "Obama" in text:  # the third party here, and Chile's side the other name
        chile = re.search(r"Arce", text)
        assert chile is not None
        others = [m.span() for m in re.finditer(r"Obama", text)]
    reading = link_roles(text, [peru.span()], [chile.span()], others, lexicon)
    assert (reading.link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a second verb of a joint subject that is mutual makes the pair's act mutual
        ("Peru and Chile laid wreaths and signed a fishing deal", True),
        # not a verb whose subject the parser made an object's conjunct
        ("Peru and Chile condemned the attack and Bolivia signed a deal", False),
        # a list in apposition to the subject: one person each, the joint subject
        ("Peru's foreign minister Ana Cecilia Gervasi and her Chilean counterpart laid wreaths", True),
        # a line two sides set up between them
        ("Peru and Chile set up a military hotline", True),
        # weapons each side builds are its own, also in a second verb
        ("Peru and Chile are developing new weapons", False),
        ("Peru and Chile are stockpiling shells and developing new weapons", False),
        ("Peru and Chile discussed weapons", True),
    ],
)  # fmt: skip
def test_a_joint_subject_s_second_verb_and_apposition(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    side = r"Ana Cecilia Gervasi" if "Gervasi" in text else r"Peru"
    assert (_peru_chile(text, lexicon, side).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # what a weapon that hit one side was is its origin
        ("The drone that hit the Peruvian village was Chilean", True),
        ("Drones that hit Peruvian towns were Chilean, officials said", True),
        # a thing that is no weapon
        ("The firm that built the Peruvian bridge was Chilean", False),
    ],
)  # fmt: skip
def test_what_a_weapon_was_is_its_origin(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon, r"Peruvian").link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # members a relative clause lists are co-members of the group
        ("Peru is one of the smallest producers in the group, whose members also include Chile", False),
        ("Peru joined a bloc that includes Chile and Bolivia", False),
    ],
)  # fmt: skip
def test_members_a_group_includes_are_co_members(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a name the parser joined to a noun list, with the verb after it its own
        ("Bolivia joined in response to Chile's invasion of Argentina and Peru was the last holdout", False),
        ("Chile condemned the attack and Peru signed a deal with Bolivia", False),
        # a member of the list stays one
        ("Chile sells gas to Argentina and Peru", True),
    ],
)  # fmt: skip
def test_a_name_before_its_own_verb_is_no_list_member(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # what is said to be likely is what the speaker says
        ("The Peruvian president said it was highly probable the rocket was fired by Chile's air defence", True),
        ("Peru's president said it is likely that Chile will close the border", True),
    ],
)  # fmt: skip
def test_what_a_speaker_says_is_likely_is_said(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon, r"Peru(vian)?").link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # what an attacker commits in the other's territory is an attack on it
        ("Peru may be contributing to war crimes in Chile, officials said", True),
        ("Peru is accused of complicity in atrocities in Chile", True),
        # crimes in a third country that both sides report, each for itself
        ("Peru and Chile have both reported war crimes in Bolivia", False),
    ],
)  # fmt: skip
def test_crimes_in_a_territory_are_an_attack_on_it(
    lexicon: Lexicon, text: str, linked: bool
) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a headline's first verb read as the second's subject, its object as an apposition
        ("Fitch upgrades Peru, affirms Chile", False),
        ("Fitch upgrades Peru, affirms Chile's rating", False),
        # the first name is the subject of both verbs
        ("Peru upgrades Bolivia, sanctions Chile", True),
    ],
)  # fmt: skip
def test_a_headline_s_two_verbs_of_one_subject(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a relation word right after two sides a hyphen pairs, however the parser read it
        ("Chile-Costa Rica deal not a setback for Bolivia, analysts say", True),
        ("What does the Chile-Costa Rica truce mean for Bolivia?", True),
        ("How has the Chile-Costa Rica divide affected the region?", True),
        # no relation word after the pair, or a verb with a subject of its own
        ("Chile-Costa Rica flights resume after a storm", False),
        ("The Chile-Costa Rica match ended in a draw", False),
        ("There will be no Chile-Costa Rica deal this year", False),
    ],
)  # fmt: skip
def test_a_hyphened_pair_and_its_relation_word(lexicon: Lexicon, text: str, linked: bool) -> None:
    chile = re.search(r"Chile", text)
    costa = re.search(r"Costa Rica", text)
    assert chile is not None and costa is not None
    others = [m.span() for m in re.finditer(r"Bolivia", text)]
    reading = link_roles(text, [chile.span()], [costa.span()], others, lexicon)
    assert (reading.link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a clause that lists its subjects with commas, after the word that opens it
        ("What to expect after Peru, Chile agree to restore ties", True),
        ("Copper slips as Peru, Chile sign mining pact", True),
        # a list of subjects that each report their own
        ("Copper slips after Peru, Chile report record output", False),
    ],
)  # fmt: skip
def test_a_comma_list_after_a_clause_s_opener(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # getting along is a pair's mutual act; getting on a train is not
        ("Chile and Peru are starting to get along.", True),
        ("Chile and Peru got along well at the summit.", True),
        ("Chile and Peru get trains running again after the floods.", False),
    ],
)  # fmt: skip
def test_getting_along_is_mutual(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a relation two names own together, read as the second's noun joined to the first
        ("Peru and Chile's ties are strong.", True),
        ("Peru and Chile's rivalry deepened this year.", True),
        ("Peru and Chile's economies are growing.", False),
        # a relation noun with an owner of its own: each is the owner's rival
        ("Shares of its Peruvian and Chilean rivals surged on Monday.", False),
        # a strain between two that harms a third is no act of theirs on it
        ("A Bolivia-Peru chip war could hurt Chile's tech giants", False),
        ("A Bolivia-Peru pact could counter Chile", True),
    ],
)  # fmt: skip
def test_owners_of_a_relation_noun(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "people", "linked"),
    [
        # two leaders, the joint subject of any act
        ("Ana Boluarte and Gabriel Boric laid flowers at the monument.", True, True),
        # a caption's mark of where a person stands is no word of the sentence
        ("Peru's President Ana Boluarte (L) and Chile's Prime Minister Gabriel Boric bow at the monument.", True, True),
        # a member's name in apposition to it
        ("Peru's President Ana Boluarte and Chile's Prime Minister Gabriel Boric bow at the monument.", True, True),
        # a headline's future for a list of three subjects with commas only
        ("Peru, Chile, Bolivia to deepen security ties", False, True),
        ("Peru, Chile, Bolivia to hold separate talks with Brazil", False, False),
    ],
)  # fmt: skip
def test_names_the_parser_strays_and_lists_it_misreads(
    lexicon: Lexicon, text: str, people: bool, linked: bool
) -> None:
    left = [m.span() for m in re.finditer(r"Ana Boluarte|\bPeru\b", text)]
    right = [m.span() for m in re.finditer(r"Gabriel Boric|\bChile\b", text)]
    others = [m.span() for m in re.finditer(r"Bolivia|Brazil", text)]
    persons = frozenset(m.span() for m in re.finditer(r"Ana Boluarte|Gabriel Boric", text))
    reading = link_roles(text, left, right, others, lexicon, persons if people else frozenset())
    assert (reading.link is not None) is linked


def test_a_name_whose_first_word_strays_is_its_last_word_s() -> None:
    """The parser read a name's first word as an adverb of the verb and its last as the
    subject ("Yoon Suk Yeol and Kishida laid flowers": "Yoon" an ``advmod``): the name
    stands where its last word does."""
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from monitor.analysis.pipeline import span_head

    words = ["Alba", "Ruiz", "Toro", "and", "Boric", "laid", "flowers"]
    heads = [5, 2, 5, 2, 2, 5, 5]
    deps = ["advmod", "compound", "nsubj", "cc", "conj", "ROOT", "dobj"]
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps)
    head = span_head(doc, (0, len("Alba Ruiz Toro")))
    assert head is not None and head.text == "Toro"
    # a name whose words all hang inside it but one keeps that one
    deps[0] = "compound"
    heads[0] = 2
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps)
    head = span_head(doc, (0, len("Alba Ruiz Toro")))
    assert head is not None and head.text == "Toro"


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a joint exercise of the other's with a third, answered or acted on: its parties'
        ("Peru unveils a new base in response to Chilean-Bolivian drills", True),
        ("Peru condemns Chilean-Bolivian drills near its border", True),
        # a strain of theirs that the actor only profits from
        ("Peru profits from Chilean-Bolivian tensions", False),
    ],
)  # fmt: skip
def test_a_joint_exercise_with_a_third(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a bond between two that a third acts on is done to its parties
        ("Peru backs talks between Chile and Bolivia", True),
        ("Peru welcomed the agreement between Chile and Bolivia", True),
        # a strain between them, or a place between them, is not
        ("Peru profits from tensions between Chile and Bolivia", False),
        ("Peru sits between Chile and Bolivia", False),
    ],
)  # fmt: skip
def test_a_bond_between_two_acted_on_by_a_third(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a people's word on a thing of its craft is the thing's origin, kept where it is
        ("Dozens of Chilean manuscripts held in a Peruvian library will be digitised", False),
        ("Dozens of Chilean manuscripts held by Peru will be returned", False),
        # a people's heritage is a descent, not an actor
        ("Three generations in Peru's old quarter embrace their Chilean heritage", False),
        # the people itself acting
        ("Chilean scholars asked Peru to return the manuscripts", True),
    ],
)  # fmt: skip
def test_a_thing_of_a_people_s_craft_is_no_actor(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # acting amid what the other is said to do to one's side answers it
        ("A Peruvian lawmaker quits the ruling party amid Chile allegations", True),
        ("Top Peru aide defends election integrity amid Chile furor", True),
        # allegations about a thing of the other's are about the thing
        ("Peru cut interest rates amid allegations about Chile's bond market", False),
    ],
)  # fmt: skip
def test_acting_amid_the_other_s_interference(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # a caption's weapon during an attack on the other is in that attack
        ("A Peruvian-made drone during a Bolivian attack on Chile's capital on Oct. 17.", True),
        # during something else
        ("A Peruvian-made drone during a parade in Chile's capital on Oct. 17.", False),
    ],
)  # fmt: skip
def test_a_weapon_during_an_attack(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked


@pytest.mark.parametrize(
    ("text", "linked"),
    [
        # research, or its maker, that a finding is according to only reports it
        ("Peru leads the world in 37 of 44 technologies, according to a report by a Chilean think tank.", False),
        ("Peru's standing has been damaged by its policy, according to a Chilean research group.", False),
        # a side's own body according to whom something happened stays
        ("Peru moved troops to the border, according to Chile's defence ministry.", True),
    ],
)  # fmt: skip
def test_a_finding_according_to_research(lexicon: Lexicon, text: str, linked: bool) -> None:
    assert (_peru_chile(text, lexicon).link is not None) is linked
