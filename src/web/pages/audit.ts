import { api } from '../api.ts';
import { h, showDone, showError, showLoading, statusBox } from '../dom.ts';
import { hasRole } from '../session.ts';
import { entriesSection } from './audit-entries.ts';
import { searchesSection } from './audit-searches.ts';

type Verify = { intact: boolean; entries: number; firstBroken?: { seq: number; reason: string } };

/**
 * Oversight: the chain's integrity and the entries about one's client (auditor), the searches of
 * one's client and the review of their leads (supervisor). Both lists are filtered and paged by
 * the server.
 */
export async function auditPage(main: HTMLElement): Promise<void> {
  main.append(h('h1', {}, 'Audit'));
  if (hasRole('auditor')) await chainSection(main);
  if (hasRole('supervisor')) await searchesSection(main);
  else main.append(h('p', {}, 'The list of searches needs the supervisor role.'));
  if (hasRole('auditor')) await entriesSection(main);
}

async function chainSection(main: HTMLElement): Promise<void> {
  const status = statusBox('chain-status');
  main.append(h('section', { 'aria-labelledby': 'chain-title' }, h('h2', { id: 'chain-title' }, 'Audit chain'), status));
  showLoading(status, 'Verifying the hash chain…');
  try {
    const v = await api<Verify>('/v1/audit/verify');
    showDone(status);
    status.replaceChildren(h('p', { class: v.intact ? 'badge ok' : 'badge bad', 'data-testid': 'chain' },
      v.intact ? `Intact: all ${v.entries} entries verify` : `Broken at entry ${v.firstBroken?.seq}: ${v.firstBroken?.reason}`));
  } catch (error) {
    showError(status, error);
  }
}
