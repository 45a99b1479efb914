/**
 * Answers in the language a prompt asks for: "Answer in French." (or "Réponds en français")
 * anywhere in the user message or the system prompt makes the mock answer in French, as a model
 * would; without it the answer stays English. So an explanation that removes that sentence sees
 * the answer change language, and one that removes another sentence does not. Pure.
 */
/** Asks for French: "answer/reply/respond/write … in French", "en français". */
const ASKS_FRENCH = /\b(answer|reply|respond|write|speak)\b[^.!?\n]{0,40}\bin french\b|\ben fran[cç]ais\b/i;

const FRENCH: readonly string[] = [
  "Bien sûr ! Voici ma réponse en français : je n'ai pas encore tous les détails, mais je vais faire de mon mieux pour vous aider.",
  'Avec plaisir. Je vous réponds en français : pourriez-vous me donner un peu plus de précisions afin que je puisse mieux vous aider ?',
  "Merci pour votre question. En résumé, il faut d'abord bien préparer votre demande, puis vérifier chaque étape avec soin.",
];

/** The language a prompt asks its answer in: `fr` when it asks for French, else `en`. */
export function askedLanguage(text: string): 'fr' | 'en' {
  return ASKS_FRENCH.test(text) ? 'fr' : 'en';
}

/**
 * `english` (the mock's answer), or a French answer when `instructions` (the user message and
 * the system prompt) ask for French; `variant` (the choice index) picks another phrasing. The
 * mock does not translate: its French answer is one of a few fixed replies.
 */
export function inAskedLanguage(english: string, instructions: string, variant = 0): string {
  if (askedLanguage(instructions) !== 'fr') return english;
  return FRENCH[variant % FRENCH.length]!;
}
