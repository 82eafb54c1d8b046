// English plural folding for the query language (`models` matches `model`, `risky` does not
// match `risk`): regular plurals fold to the singular, nothing else is stemmed. The rules are
// suffix rules plus small word lists for the cases a suffix rule gets wrong; a wrong fold is
// only harmful when it merges two different words, so when in doubt a word is left alone.

// Words that end in "s" but are not plurals (or whose singular is the same word).
const NOT_PLURAL = new Set([
  'always',
  'perhaps',
  'whereas',
  'sometimes',
  'besides',
  'nowadays',
  'overseas',
  'series',
  'species',
  'news',
  'lens',
  'chaos',
  'cosmos',
  'ethos',
  'pathos',
  'logos',
  'kudos',
  'mythos',
  'thermos',
  'atlas',
  'canvas',
  'bias',
  'alias',
  'alas',
  'pancreas',
  'christmas',
  'does',
  'biceps',
  'triceps',
  'forceps',
  'herpes',
  'diabetes',
  'rabies',
  'measles',
  'mumps',
  'scabies',
  'caries',
  'neurips',
  'macos',
  'kubernetes',
  'postgres',
  'https',
  // Fields of study: "physics" is not the plural of "physic", and "molecular dynamics" should
  // not start matching "dynamic programming".
  'physics',
  'astrophysics',
  'biophysics',
  'geophysics',
  'metaphysics',
  'mathematics',
  'economics',
  'econometrics',
  'linguistics',
  'politics',
  'ethics',
  'genetics',
  'epigenetics',
  'genomics',
  'proteomics',
  'metabolomics',
  'transcriptomics',
  'electronics',
  'optoelectronics',
  'spintronics',
  'robotics',
  'mechatronics',
  'dynamics',
  'thermodynamics',
  'aerodynamics',
  'hydrodynamics',
  'electrodynamics',
  'semantics',
  'pragmatics',
  'phonetics',
  'semiotics',
  'hermeneutics',
  'mechanics',
  'kinematics',
  'kinetics',
  'optics',
  'photonics',
  'plasmonics',
  'acoustics',
  'haptics',
  'informatics',
  'bioinformatics',
  'logistics',
  'statistics',
  'analytics',
  'graphics',
  'aesthetics',
  'athletics',
  'gymnastics',
  'cybernetics',
  'forensics',
  'pediatrics',
  'paediatrics',
  'obstetrics',
  'orthopedics',
  'orthopaedics',
  'geriatrics',
  'numerics',
  'aeronautics',
  'astronautics',
  'avionics',
  'ballistics',
  'hydraulics',
  'pneumatics',
  'civics',
])

// Plurals that the suffix rules would fold wrongly, with their singular.
const IRREGULAR = new Map<string, string>([
  // -us nouns take -uses; the default "-ses → -se" rule would give "buse".
  ['buses', 'bus'],
  ['viruses', 'virus'],
  ['bonuses', 'bonus'],
  ['statuses', 'status'],
  ['focuses', 'focus'],
  ['campuses', 'campus'],
  ['censuses', 'census'],
  ['corpuses', 'corpus'],
  ['consensuses', 'consensus'],
  ['geniuses', 'genius'],
  ['choruses', 'chorus'],
  ['octopuses', 'octopus'],
  ['surpluses', 'surplus'],
  ['minuses', 'minus'],
  ['pluses', 'plus'],
  ['radiuses', 'radius'],
  ['syllabuses', 'syllabus'],
  ['nexuses', 'nexus'],
  ['apparatuses', 'apparatus'],
  ['circuses', 'circus'],
  ['cactuses', 'cactus'],
  ['fetuses', 'fetus'],
  ['hiatuses', 'hiatus'],
  ['sinuses', 'sinus'],
  ['prospectuses', 'prospectus'],
  ['thesauruses', 'thesaurus'],
  ['stimuluses', 'stimulus'],
  ['abacuses', 'abacus'],
  ['uteruses', 'uterus'],
  ['isthmuses', 'isthmus'],
  // -s nouns that take -ses.
  ['biases', 'bias'],
  ['gases', 'gas'],
  ['aliases', 'alias'],
  ['atlases', 'atlas'],
  ['canvases', 'canvas'],
  ['lenses', 'lens'],
  ['irises', 'iris'],
  // Greek -is nouns (the -yses and -theses families are handled by rule).
  ['crises', 'crisis'],
  ['oases', 'oasis'],
  ['axes', 'axis'],
  ['emphases', 'emphasis'],
  ['synopses', 'synopsis'],
  ['ellipses', 'ellipsis'],
  ['nemeses', 'nemesis'],
  ['geneses', 'genesis'],
  ['exegeses', 'exegesis'],
  ['diagnoses', 'diagnosis'],
  ['prognoses', 'prognosis'],
  ['neuroses', 'neurosis'],
  ['psychoses', 'psychosis'],
  ['metamorphoses', 'metamorphosis'],
  ['mitoses', 'mitosis'],
  ['meioses', 'meiosis'],
  ['symbioses', 'symbiosis'],
  ['thromboses', 'thrombosis'],
  ['fibroses', 'fibrosis'],
  ['stenoses', 'stenosis'],
  ['apotheoses', 'apotheosis'],
  // Latin -ix/-ex nouns: without these "matrices" would fold to the non-word "matrice".
  ['matrices', 'matrix'],
  ['indices', 'index'],
  ['vertices', 'vertex'],
  ['appendices', 'appendix'],
  ['simplices', 'simplex'],
  ['helices', 'helix'],
  ['cortices', 'cortex'],
  ['vortices', 'vortex'],
  ['apices', 'apex'],
  // -o nouns that take -oes.
  ['heroes', 'hero'],
  ['potatoes', 'potato'],
  ['tomatoes', 'tomato'],
  ['echoes', 'echo'],
  ['vetoes', 'veto'],
  ['torpedoes', 'torpedo'],
  ['volcanoes', 'volcano'],
  ['mosquitoes', 'mosquito'],
  ['embargoes', 'embargo'],
  ['dominoes', 'domino'],
  ['goes', 'go'],
  // -che nouns: the "-ches → -ch" rule would give "cach".
  ['caches', 'cache'],
  ['niches', 'niche'],
  ['headaches', 'headache'],
  ['avalanches', 'avalanche'],
  ['cliches', 'cliche'],
  ['psyches', 'psyche'],
  ['tranches', 'tranche'],
  ['quiches', 'quiche'],
  ['moustaches', 'moustache'],
  ['mustaches', 'mustache'],
  // -ie nouns: the "-ies → -y" rule would give "movy".
  ['movies', 'movie'],
  ['cookies', 'cookie'],
  ['selfies', 'selfie'],
  ['zombies', 'zombie'],
  ['calories', 'calorie'],
  ['rookies', 'rookie'],
  ['brownies', 'brownie'],
  ['prairies', 'prairie'],
  ['goalies', 'goalie'],
  ['hippies', 'hippie'],
  ['smoothies', 'smoothie'],
  ['genies', 'genie'],
  ['pixies', 'pixie'],
  ['sorties', 'sortie'],
  ['aunties', 'auntie'],
  ['hoodies', 'hoodie'],
  ['newbies', 'newbie'],
  ['freebies', 'freebie'],
  ['magpies', 'magpie'],
  ['quizzes', 'quiz'],
  // Lower-case acronym plurals whose singular ends in -u or -i, so the -us/-is rule keeps
  // them; written in capitals ("GPUs") they are caught by the capital-letter rule instead.
  ['gpus', 'gpu'],
  ['cpus', 'cpu'],
  ['tpus', 'tpu'],
  ['npus', 'npu'],
  ['qpus', 'qpu'],
  ['apis', 'api'],
  ['kpis', 'kpi'],
  ['rois', 'roi'],
  ['guis', 'gui'],
])

// Below this length a trailing "s" is too often part of the word or of an acronym:
// its, has, was, gas, bus, yes, fps, gps, rms, rhs.
const MIN_FOLD_LENGTH = 4

function foldOnce(w: string): string {
  if (!w.endsWith('s')) return w
  if (NOT_PLURAL.has(w)) return w
  const irregular = IRREGULAR.get(w)
  if (irregular !== undefined) return irregular
  if (w.length < MIN_FOLD_LENGTH) return w
  // class, loss, corpus, status, analysis, basis, this: never plurals.
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) return w
  if (w.endsWith('ies')) {
    // ties, lies, dies, pies: the singular is "-ie"; longer "-ies" words come from "-y".
    return w.length === 4 ? w.slice(0, -1) : `${w.slice(0, -3)}y`
  }
  if (w.endsWith('es')) {
    if (w.endsWith('yses') || w.endsWith('theses')) return `${w.slice(0, -2)}is`
    if (
      w.endsWith('sses') ||
      w.endsWith('xes') ||
      w.endsWith('ches') ||
      w.endsWith('shes') ||
      w.endsWith('zzes')
    ) {
      return w.slice(0, -2)
    }
  }
  return w.slice(0, -1)
}

/**
 * Folds a lower-case word to its singular. Idempotent: folding a folded word changes nothing,
 * which the printer relies on (it prints folded words and they must parse back unchanged).
 */
export function foldPluralLower(word: string): string {
  let current = word
  for (;;) {
    const next = foldOnce(current)
    if (next === current) return current
    current = next
  }
}

const UPPER_OR_DIGIT = /[\p{Lu}\p{N}]/u
const UPPER = /\p{Lu}/gu

/**
 * Folds a word given in its original case. Capitals carry information that lower case loses:
 * "GPUs", "APIs", "IoUs", "MoEs", "GAs" are acronym plurals even though "gpus", "apis", "ious"
 * and "gas" look like words the suffix rules must leave alone.
 */
export function foldPlural(original: string, lower: string): string {
  const chars = [...original]
  const stemLast = chars[chars.length - 2]
  if (
    chars.length >= 3 &&
    chars[chars.length - 1] === 's' &&
    stemLast !== undefined &&
    UPPER_OR_DIGIT.test(stemLast) &&
    (original.match(UPPER)?.length ?? 0) >= 2 &&
    lower.endsWith('s')
  ) {
    return foldPluralLower(lower.slice(0, -1))
  }
  return foldPluralLower(lower)
}
