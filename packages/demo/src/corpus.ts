/**
 * The demo's world: a small outdoor-gear shop's knowledge base (what rag-service retrieves
 * from), its orders (what the `get_order_status` tool looks up), and the users and
 * conversations the traffic simulator plays. Data only.
 */

/** A knowledge-base article. */
export interface Article {
  id: string;
  title: string;
  text: string;
}

/** The knowledge base rag-service embeds at start and retrieves from. */
export const ARTICLES: readonly Article[] = [
  {
    id: 'kb-shipping',
    title: 'Shipping times and costs',
    text: 'Standard shipping takes 3 to 5 business days and is free on orders over 50 dollars. Express shipping takes 1 to 2 business days and costs 12 dollars.',
  },
  {
    id: 'kb-international',
    title: 'International shipping',
    text: 'We ship to Canada, the United Kingdom and the European Union. International delivery takes 7 to 12 business days; duties are paid by the customer.',
  },
  {
    id: 'kb-returns',
    title: 'Returns policy',
    text: 'Unused items can be returned within 30 days of delivery for a full refund. Sale items can be exchanged but not refunded. Start a return from your account page.',
  },
  {
    id: 'kb-refunds',
    title: 'Refund processing',
    text: 'Refunds are processed within 5 business days after the returned item arrives at our warehouse, back to the original payment method.',
  },
  {
    id: 'kb-warranty',
    title: 'Warranty',
    text: 'Jackets, tents and backpacks carry a 2 year warranty against manufacturing defects. The warranty does not cover wear and tear, misuse or accidents.',
  },
  {
    id: 'kb-address',
    title: 'Changing the delivery address',
    text: 'The delivery address can be changed until the order ships. Once shipped, contact the carrier with the tracking number to redirect the parcel.',
  },
  {
    id: 'kb-gift-cards',
    title: 'Gift cards',
    text: 'Digital gift cards from 25 to 500 dollars are delivered by email and never expire. They cannot be exchanged for cash.',
  },
  {
    id: 'kb-sizing',
    title: 'Size guide',
    text: 'Our jackets run true to size; if you are between sizes, choose the larger one for layering. Boots run half a size small.',
  },
];

/** Orders the `get_order_status` tool knows; others make it fail (order not found). */
export const ORDERS: Readonly<Record<string, { status: string; carrier?: string; eta?: string }>> = {
  Vega: { status: 'shipped', carrier: 'UPS', eta: 'in 2 days' },
  Orion: { status: 'processing', eta: 'ships tomorrow' },
  Lyra: { status: 'delivered' },
  Altair: { status: 'out for delivery', carrier: 'DHL', eta: 'today' },
};

/** Simulated users (their ids as the app sees them). */
export const USERS: readonly string[] = ['alice', 'bruno', 'chen', 'dana', 'emeka', 'farah'];

/**
 * One turn of a conversation: what the user types, and optionally the HTTP status the LLM
 * provider answers it with (the demo asks the mock for it out of band, in a request header,
 * so nothing shows in what the user typed).
 */
export type DemoTurn = string | { message: string; providerStatus: number };

/** The header that carries a turn's `providerStatus` from the simulator through both services to the LLM call. */
export const PROVIDER_STATUS_HEADER = 'x-demo-provider-status';

/** The text of a turn. */
export const turnMessage = (turn: DemoTurn): string => (typeof turn === 'string' ? turn : turn.message);

/**
 * Conversations the simulated users have, one message per turn. The mock LLM answers from its
 * small knowledge of the shop, calls the tool when a message names it and takes the last
 * capitalised word as the order id; a turn with `providerStatus: 429` meets a rate-limited provider.
 */
export const CONVERSATIONS: readonly (readonly DemoTurn[])[] = [
  [
    'How long does standard shipping take?',
    'Do you ship to Canada?',
    'And how much does express shipping cost?',
  ],
  ['What is your return policy?', 'Can I return sale items?', 'How fast are refunds processed?'],
  ['Where is my order Vega? Please use get_order_status.', 'Can I still change the delivery address?'],
  ['Check order Altair with get_order_status please', 'Thanks! Which carrier delivers it?'],
  [
    'My parcel never arrived, look up order Phantom with get_order_status',
    'What can I do if the order is lost?',
  ],
  ['Is my jacket covered by the warranty?', 'What does the warranty not cover?', 'Do boots run small?'],
  [{ message: 'Do you sell gift cards?', providerStatus: 429 }, 'Do gift cards expire?'],
  [
    'What is the status of order Orion? Use get_order_status.',
    'When will order Nebula arrive? Use get_order_status.',
  ],
];

/** Comments users leave with their thumbs up (1) or down (0). */
export const FEEDBACK_COMMENTS: Readonly<Record<0 | 1, readonly string[]>> = {
  1: ['Thanks, that helped!', 'Quick and clear.', 'Exactly what I needed.'],
  0: ['That did not answer my question.', 'Too vague.', 'I still do not know where my order is.'],
};
