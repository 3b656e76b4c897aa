import type { CardData } from '../../host-link/transactions.js';

/**
 * Holds the cardholder data of the card in the reader, by an opaque reference,
 * for the duration of one session. Machines, views and the journal only ever
 * see the reference and a masked PAN.
 */
export class CardVault {
  private readonly cards = new Map<string, CardData>();
  private next = 1;

  put(card: CardData): string {
    const ref = `card-${this.next++}`;
    this.cards.set(ref, card);
    return ref;
  }

  get(ref: string): CardData {
    const card = this.cards.get(ref);
    if (!card) throw new Error(`no card data for ${ref}`);
    return card;
  }

  /** Forgets a card when its session ends. */
  wipe(ref: string): void {
    this.cards.delete(ref);
  }

  get size(): number {
    return this.cards.size;
  }
}
