/**
 * What the mock knows: canned answers for the questions the demo's simulated shoppers ask
 * (shipping, returns, refunds, warranty, sizing, gift cards, orders), a fable for story requests,
 * and a generic answer that repeats the question for anything else. Pure and deterministic.
 */

/** A topic: when the question matches, one of its answers (picked by hash and variant). */
interface Topic {
  match: RegExp;
  answers: readonly string[];
}

// Checked in order: the more specific topic first (express before shipping, sale before returns).
const TOPICS: readonly Topic[] = [
  {
    match: /^\s*(hi|hello|hey|good (morning|afternoon|evening))\b/i,
    answers: ['Hello! How can I help you today?', 'Hi there! What can I do for you?'],
  },
  {
    match: /\bexpress\b/i,
    answers: [
      'Express shipping takes 1 to 2 business days and costs 12 dollars.',
      'With express shipping your order arrives in 1 to 2 business days, for 12 dollars.',
    ],
  },
  {
    match: /\b(canada|international|abroad|overseas|united kingdom|uk|europe|european union|eu)\b/i,
    answers: [
      'Yes, we ship to Canada, the United Kingdom and the European Union. International delivery takes 7 to 12 business days, and duties are paid by the customer.',
      'We deliver to Canada, the UK and the EU in 7 to 12 business days; any duties are paid on delivery.',
    ],
  },
  {
    match: /\bshipping\b|\bship\b|\bdelivery time\b/i,
    answers: [
      'Standard shipping takes 3 to 5 business days and is free on orders over 50 dollars.',
      'Standard orders arrive in 3 to 5 business days, and shipping is free above 50 dollars.',
    ],
  },
  {
    match: /\bsale items?\b|\bon sale\b|\bdiscounted\b/i,
    answers: [
      'Sale items can be exchanged, but they cannot be refunded.',
      'Items bought on sale can be exchanged for another size or colour, but not refunded.',
    ],
  },
  {
    match: /\brefunds?\b|\bmoney back\b/i,
    answers: [
      'Refunds are processed within 5 business days after the returned item reaches our warehouse, back to your original payment method.',
      'Once your return arrives at our warehouse, the refund reaches your original payment method within 5 business days.',
    ],
  },
  {
    match: /\breturns?\b|\breturning\b/i,
    answers: [
      'Unused items can be returned within 30 days of delivery for a full refund. Start a return from your account page.',
      'You can return unused items within 30 days of delivery for a full refund; returns start from your account page.',
    ],
  },
  {
    match: /\bwarranty\b.*\bnot\b|\bnot\b.*\bwarranty\b|\bexclu/i,
    answers: [
      'The warranty does not cover wear and tear, misuse or accidents, only manufacturing defects.',
      'Wear and tear, misuse and accidents are not covered; the warranty is for manufacturing defects.',
    ],
  },
  {
    match: /\bwarrant(y|ies)\b|\bguarantee\b|\bdefect/i,
    answers: [
      'Yes: jackets, tents and backpacks carry a 2 year warranty against manufacturing defects.',
      'Jackets, tents and backpacks are covered for 2 years against manufacturing defects.',
    ],
  },
  {
    match: /\b(boots?|sizes?|sizing|fit|run small|run large)\b/i,
    answers: [
      'Boots run half a size small, so order half a size up. Jackets run true to size; between sizes, choose the larger one for layering.',
      'Our boots run half a size small; jackets are true to size (take the larger size if you like to layer).',
    ],
  },
  {
    match: /\bgift ?cards?\b.*\bexpire|\bexpire\b.*\bgift ?cards?\b/i,
    answers: [
      'No, our gift cards never expire. They cannot be exchanged for cash.',
      'Gift cards never expire, though they cannot be exchanged for cash.',
    ],
  },
  {
    match: /\bgift ?cards?\b|\bvouchers?\b/i,
    answers: [
      'Yes, we sell digital gift cards from 25 to 500 dollars. They are delivered by email and never expire.',
      'We do: digital gift cards from 25 to 500 dollars, sent by email, with no expiry date.',
    ],
  },
  {
    match: /\baddress\b/i,
    answers: [
      'You can change the delivery address until the order ships. After that, contact the carrier with your tracking number to redirect the parcel.',
      'The delivery address can be changed until the order ships; once shipped, the carrier can redirect it using the tracking number.',
    ],
  },
  {
    match: /\b(carrier|courier|ups|dhl|fedex|tracking)\b/i,
    answers: [
      'Your shipping email names the carrier and has the tracking link; our parcels travel with UPS or DHL.',
      'We ship with UPS or DHL; the tracking link in your shipping email shows which one has your parcel.',
    ],
  },
  {
    match: /\b(lost|never arrived|missing|stolen|damaged)\b/i,
    answers: [
      'Sorry about that! If a parcel is lost, we send a replacement or a full refund once the carrier confirms it; reply with your order id and we will open a claim.',
      'I am sorry your parcel has not arrived. Send us the order id and we will open a claim with the carrier and ship a replacement or refund you.',
    ],
  },
  {
    match: /\border\b/i,
    answers: [
      'I can check an order for you: please tell me its order id.',
      'Happy to look into your order; what is its order id?',
    ],
  },
];

const STORY = /\b(stor(y|ies)|tales?|fables?|once upon)\b/i;
const ANIMALS = ['fox', 'owl', 'otter', 'badger', 'heron', 'lynx', 'marmot', 'wren'];
const SKILLS = [
  'count tokens',
  'cache prompts',
  'stream replies',
  'call tools',
  'measure latency',
  'sort embeddings',
  'trace spans',
  'price requests',
];
const MAX_QUOTE_CHARS = 80;
/** Words too common to tie a question to a sentence of its context. */
const STOPWORDS = new Set(
  'about also does from have into just like more most only over some such than that their them then there they this very what when where which will with would your could should'.split(
    ' ',
  ),
);

/** FNV-1a 32-bit hash of a string. */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const article = (noun: string): string => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`);

/** The question as it can be quoted back: markers removed, whitespace collapsed, shortened. */
function quoted(prompt: string): string {
  const text = prompt
    .replace(/\[\[[^\]]*\]\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > MAX_QUOTE_CHARS ? `${text.slice(0, MAX_QUOTE_CHARS - 1)}…` : text;
}

/** Content words of a text, lowercased, a plural or third-person `s` dropped. */
function contentWords(text: string): Set<string> {
  const words = text.toLowerCase().match(/[a-z][a-z0-9]{3,}/g) ?? [];
  return new Set(words.filter((w) => !STOPWORDS.has(w)).map((w) => w.replace(/s$/, '')));
}

/** The sentence of `context` sharing the most content words with `question` (at least two), if any. */
function groundedSentence(question: string, context: string): string | undefined {
  const asked = contentWords(question);
  let best: { sentence: string; score: number } | undefined;
  for (const line of context.split(/\n+|(?<=[.!?])\s+/)) {
    const sentence = line.replace(/^\s*(?:[-*•]|\[[^\]]*\])\s*/, '').trim();
    let score = 0;
    for (const word of contentWords(sentence)) if (asked.has(word)) score++;
    if (score >= 2 && (best === undefined || score > best.score)) best = { sentence, score };
  }
  return best?.sentence;
}

/**
 * The mock's answer to `prompt` (the last user message): a canned answer when the question is
 * about a topic the mock knows, a short fable (`Once upon a time, a fox learned to count tokens.`)
 * when it asks for a story, the sentence of `context` (system instructions, retrieved notes)
 * that best matches the question, else a generic reply that quotes the question. `variant` (the
 * choice index) picks another phrasing.
 */
export function knowledgeAnswer(prompt: string, variant = 0, context = ''): string {
  const hash = hashText(prompt);
  if (STORY.test(prompt)) {
    const h = hash + variant * 7;
    return `Once upon a time, ${article(ANIMALS[h % ANIMALS.length]!)} learned to ${SKILLS[(h >>> 3) % SKILLS.length]}.`;
  }
  const topic = TOPICS.find((t) => t.match.test(prompt));
  if (topic !== undefined) return topic.answers[(hash + variant) % topic.answers.length]!;
  const grounded = context === '' ? undefined : groundedSentence(prompt, context);
  if (grounded !== undefined) return variant % 2 === 0 ? grounded : `From what I have: ${grounded}`;
  const question = quoted(prompt);
  const about = question === '' ? 'your message' : `"${question}"`;
  return variant % 2 === 0
    ? `Thanks for asking about ${about}. I do not have a specific answer to that yet; could you tell me a little more?`
    : `About ${about}: I do not know enough to answer well. Tell me a bit more and I will do my best to help.`;
}

/**
 * The answer after a tool ran (`content` is the tool's result): an apology naming the error when
 * the result is `{"error": …}`, else its fields in one sentence (`Here is what I found: order id Vega, status shipped, …`).
 */
export function toolResultAnswer(content: string): string {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    value = content;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const fields = value as Record<string, unknown>;
    if (typeof fields.error === 'string')
      return `Sorry, I could not look that up: ${fields.error}. Please check the id and try again.`;
    const parts = Object.entries(fields).map(([key, v]) => `${key.replace(/_/g, ' ')} ${String(v)}`);
    return `Here is what I found: ${parts.join(', ')}.`;
  }
  const text = quoted(String(value));
  return text === '' ? 'The lookup returned nothing.' : `Here is what I found: ${text}.`;
}
