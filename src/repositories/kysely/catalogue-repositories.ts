import type { Kysely } from 'kysely';
import type { Gallery, Source } from '../../domain/types.ts';
import type { GalleryRepository, SourceRepository } from '../../ports/store.ts';
import type { Database } from './schema.ts';
import { galleryFromRow, sourceFromRow, sourceToRow } from './row-mappers.ts';

export class KyselyGalleryRepository implements GalleryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(g: Gallery): Promise<void> {
    await this.db.insertInto('galleries').values({ id: g.id, name: g.name, created_at: g.createdAt }).execute();
  }

  async findByName(name: string): Promise<Gallery | undefined> {
    const row = await this.db.selectFrom('galleries').selectAll().where('name', '=', name).executeTakeFirst();
    return row && galleryFromRow(row);
  }

  async findById(id: string): Promise<Gallery | undefined> {
    const row = await this.db.selectFrom('galleries').selectAll().where('id', '=', id).executeTakeFirst();
    return row && galleryFromRow(row);
  }

  async list(): Promise<Gallery[]> {
    return (await this.db.selectFrom('galleries').selectAll().orderBy('name').execute()).map(galleryFromRow);
  }
}

export class KyselySourceRepository implements SourceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(s: Source): Promise<void> {
    await this.db.insertInto('sources').values(sourceToRow(s)).execute();
  }

  async findByName(name: string): Promise<Source | undefined> {
    const row = await this.db.selectFrom('sources').selectAll().where('name', '=', name).executeTakeFirst();
    return row && sourceFromRow(row);
  }

  async findById(id: string): Promise<Source | undefined> {
    const row = await this.db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst();
    return row && sourceFromRow(row);
  }

  async list(): Promise<Source[]> {
    return (await this.db.selectFrom('sources').selectAll().orderBy('name').execute()).map(sourceFromRow);
  }

  async update(s: Source): Promise<void> {
    const r = sourceToRow(s);
    await this.db.updateTable('sources').set({
      uri: r.uri, legal_basis: r.legal_basis, special_category_condition: r.special_category_condition, jurisdictions: r.jurisdictions,
      retention_days: r.retention_days, controller: r.controller, status: r.status,
    }).where('id', '=', r.id).execute();
  }
}
