import type { CaseFile } from '../domain/case-file.ts';

export const CASE_FORMATS = ['pdf', 'html'] as const;
export type CaseFormat = (typeof CASE_FORMATS)[number];

/** What an exported case file holds besides the case itself: who exported it, when, and the audit chain's head then. */
export interface CaseDocument {
  file: CaseFile;
  exportedAt: string;
  exportedBy: string;
  /** The audit chain's last entry when the document was made, so it can be checked against the log. */
  auditHead: { seq: number; hash: string } | null;
}

/** Turns a case document into the bytes of one format. */
export interface CaseRenderer {
  readonly contentType: string;
  render(document: CaseDocument): Promise<Buffer>;
}
