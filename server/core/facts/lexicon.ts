// Word lists of the fact layer: general English, not tied to any one story.

const set = (s: string): ReadonlySet<string> => new Set(s.trim().split(/\s+/));

/** Words that, right after a number, make it a measurement rather than a head count. */
export const UNIT_WORDS = set(`
  year years month months week weeks day days hour hours minute minutes second seconds decade decades
  century centuries time times percent per pct point points degree degrees km kilometres kilometers
  kilometre kilometer miles mile metres meters metre meter feet foot inches kg kilograms tons tonnes
  dollars dollar euros euro rubles roubles ruble rouble hryvnias hryvnia pounds yuan dong lek leks
  rupees rupee taka francs yen usd eur uah rub gbp am pm a.m p.m o'clock gmt utc bn mln
  million billion thousand hundred trillion crore lakh votes vote seats seat goals goal pages page`);

/** Function words that end the adjectives between a number and its noun. */
export const STOP_WORDS = set(`
  the a an of to in on at by for from with into onto out up down off per via than then as so if but
  when where while because after before since until during about over under was were is are be been
  being has have had will would can could may might must shall should do does did not no that which
  who whom whose this these those it its they them their he she his her we our you your i me my there
  here each every all both more most less least other another such only also just even still yet
  already again very too said says say according more were among including like`);

/** Plural nouns without a final s. Value: the singular. */
export const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  people: 'person', persons: 'person', men: 'man', women: 'woman', children: 'child',
  personnel: 'personnel', police: 'police', staff: 'staff', crew: 'crew', militia: 'militia',
};

/** Singular lemma -> canonical key (synonyms counted as one thing). */
export const CANONICAL: Readonly<Record<string, string>> = {
  detainee: 'prisoner', captive: 'prisoner', pow: 'prisoner', 'prisoner of war': 'prisoner', inmate: 'prisoner',
  serviceman: 'soldier', servicewoman: 'soldier', servicemember: 'soldier', 'service member': 'soldier',
  troop: 'soldier', 'military personnel': 'soldier', personnel: 'soldier', kid: 'child',
};

/** Canonical keys that denote people. 'person' is the wildcard: it matches any of them. */
export const HUMAN = set(`
  person prisoner hostage soldier fighter combatant marine sailor pilot officer guard guardsman civilian
  citizen national resident child woman man adult minor teenager journalist reporter worker volunteer
  mercenary refugee evacuee patient victim survivor casualty defender conscript recruit militant rebel
  separatist activist protester student crewmember crew police member`);

/** Participles that, right after a number, imply people: "390 freed", "12 killed". */
export const PEOPLE_PARTICIPLES = set(`
  freed released killed dead injured wounded detained exchanged swapped returned missing arrested
  captured evacuated rescued held repatriated`);

/** Words before a number that make it approximate. */
export const APPROX_BEFORE = /\b(?:over|more than|about|around|nearly|almost|some|roughly|approximately|at least|up to|fewer than|less than|under|at most|as many as|an estimated|close to|upwards of|hundreds|dozens|thousands)\s+$/i;

/** Sentence words that put a count in the future or in a deal rather than in what was done. */
export const PLAN_WORDS = /\b(?:agree[ds]?|agreement|deal|plan(?:s|ned)?|would|will|expected|proposed?|envisaged?|pledged?|promised?|negotiat\w*|consented|could|should|aims?)\b/i;

/** Event words and the event key they give to a date in the same clause. */
const TRIGGER_LISTS: Record<string, string> = {
  exchange: `exchange exchanges exchanged exchanging swap swaps swapped swapping release released releases
    releasing freed freeing returned return returns returning repatriated repatriation handover`,
  capture: 'detained captured arrested seized abducted kidnapped imprisoned jailed',
  talks: 'talks negotiations negotiation negotiated meeting meetings met meet summit consultations conference',
  agreement: 'agreement agreements agreed deal signed treaty accord memorandum',
  statement: `said says announced announcement told wrote posted stated statement affirmed declared confirmed
    interview reported noted added commented tweeted claimed stressed cited`,
  call: 'telephone phone conversation call',
  attack: `attack attacks attacked strike strikes struck shelling shelled bombing bombed killed offensive
    assault invasion invaded occupied occupation`,
  ceasefire: 'ceasefire truce armistice',
  election: 'elected election inaugurated inauguration',
};
export const TRIGGERS: ReadonlyMap<string, string> = new Map(
  Object.entries(TRIGGER_LISTS).flatMap(([key, words]) => words.trim().split(/\s+/).map((w) => [w, key] as [string, string])),
);

/** Titles and roles stripped from the front of a person's name. */
export const TITLE_WORDS = set(`
  president presidential prime minister chancellor secretary general gen spokesman spokeswoman spokesperson
  ambassador senator governor king queen pope sheikh commander colonel col lieutenant lt sergeant sgt
  deputy vice chief mayor aide assistant adviser advisor envoy director chairman chairwoman head leader
  foreign defense defence interior justice finance state mr mrs ms dr prof former acting premier
  correspondent editor editor-in-chief officer judge ombudsman patriarch metropolitan archbishop
  minister's president's`);

/** Capitalized words that are never part of a person's name. */
export const NON_NAME_WORDS = set(`
  the a an this that these those in on at of for from to by with and or but as after before since
  january february march april may june july august september october november december monday tuesday
  wednesday thursday friday saturday sunday ministry office agency bureau center centre news times post
  press council party agreement agreements square region strait four quartet kremlin social truth
  republic federation union committee court army forces force guard guardsmen service department house
  street university institute foundation group company bank television tv radio channel newspaper
  website related latest read accept more flash world media network online daily weekly herald tribune
  journal gazette telegram twitter facebook instagram youtube platform assembly parliament duma rada
  government administration embassy mission nations organization organisation international national
  security defense defence foreign affairs general staff command navy air federal state city oblast
  province district airport station bridge church cathedral palace hall stadium park lake river sea
  ocean mountains east west north south eastern western northern southern central ministry's when while
  however meanwhile although despite earlier later previously former even both neither either research
  studies study policy politics relations development rights peace human united states kingdom emirates
  viewpoint opinion analysis editorial`);

/** Nationality adjectives stripped from the front of a name ("Russian President…", "German Chancellor…"). */
export const DEMONYMS = set(`
  russian ukrainian american british french german chinese polish turkish belarusian european
  israeli palestinian iranian iraqi syrian indian pakistani japanese korean italian spanish dutch
  swedish finnish norwegian danish hungarian romanian serbian albanian georgian armenian azerbaijani
  kazakh moldovan lithuanian latvian estonian czech slovak austrian swiss belgian greek bulgarian
  croatian canadian mexican brazilian australian african egyptian saudi qatari emirati vietnamese
  bangladeshi chechen crimean western eastern soviet`);

export const MONTHS: Readonly<Record<string, number>> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sept: 9, sep: 9, october: 10, oct: 10,
  november: 11, nov: 11, december: 12, dec: 12,
};

export const WEEKDAYS: Readonly<Record<string, number>> = {
  sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6,
};

/** A few country names, to tell places from people. */
export const COUNTRIES = set(`
  russia ukraine belarus turkey türkiye china france germany britain england scotland poland moldova
  kazakhstan afghanistan iran iraq syria israel lebanon jordan egypt india pakistan bangladesh vietnam
  japan korea albania serbia kosovo hungary romania bulgaria italy spain portugal greece qatar
  azerbaijan armenia lithuania latvia estonia finland sweden norway denmark netherlands belgium austria
  switzerland slovakia slovenia croatia bosnia montenegro macedonia canada mexico brazil argentina
  america usa us uk australia indonesia malaysia thailand cambodia laos myanmar nepal sri africa
  nigeria ethiopia kenya sudan libya tunisia algeria morocco yemen oman kuwait bahrain emirates uae
  crimea gaza europe asia`);

/** Singular form of a lower-case plural noun. */
export function singular(w: string): string {
  const irr = IRREGULAR_PLURALS[w];
  if (irr) return irr;
  if (w.endsWith('men') && w.length > 4) return `${w.slice(0, -3)}man`;
  if (w.endsWith('ies') && w.length > 4) return `${w.slice(0, -3)}y`;
  if (/(?:xes|ches|shes|sses|zes|oes)$/.test(w)) return w.slice(0, -2);
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

/** Canonical key for a (lower-case, singular) lemma. */
export function canonical(lemma: string): string {
  return CANONICAL[lemma] ?? lemma;
}

export function isHumanKey(key: string): boolean {
  return HUMAN.has(key);
}

/** Fold a name for keys: lower case, no diacritics or apostrophes, y/i and doubled letters merged. */
export function foldName(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’ʼ`]s?\b/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/y/g, 'i')
    .replace(/(\p{L})\1+/gu, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
