/** The single-process store: a map with expiry. */
import type { RevocationRecord, SharedStore } from './shared-store.ts';

export class MemoryStore implements SharedStore {
  readonly kind = 'memory' as const;
  private readonly revocations = new Map<string, { record: RevocationRecord; expiresAt: number }>();

  async revokeConsent(record: RevocationRecord, expiresAt: number): Promise<void> {
    if (!this.revocations.has(record.consentId)) {
      this.revocations.set(record.consentId, { record, expiresAt });
    }
    this.sweep();
  }

  async revokedAmong(consentIds: readonly string[]): Promise<Set<string>> {
    const now = Date.now();
    return new Set(consentIds.filter((id) => (this.revocations.get(id)?.expiresAt ?? 0) > now));
  }

  async revocation(consentId: string): Promise<RevocationRecord | null> {
    const entry = this.revocations.get(consentId);
    return entry && entry.expiresAt > Date.now() ? entry.record : null;
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  private sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.revocations)
      if (entry.expiresAt <= now) this.revocations.delete(id);
  }
}
