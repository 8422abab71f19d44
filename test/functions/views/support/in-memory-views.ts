import { orderSummary } from '../../../../functions/views/domain/render.js';
import { ConcurrentUpdateError } from '#plumbing/outbox.js';
import type { OrderView } from '../../../../functions/views/domain/order-view.js';
import type {
  ListViews,
  LoadView,
  ProjectionPointer,
  ReadPointer,
  SaveView,
  StoredView,
} from '../../../../functions/views/ports.js';

/** The views table in memory, with the adapter's rules: revisions, versions, newest first. */
export function inMemoryViews(pointer: ProjectionPointer = { active: 1 }) {
  const items = new Map<string, StoredView>();
  const key = (version: number, orderId: string) => `${version}/${orderId}`;
  /** Writers that lose the next `n` saves, as if another consumer got there first. */
  let conflicts = 0;
  const state = { pointer, saves: 0 };

  const readPointer: ReadPointer = async () => structuredClone(state.pointer);
  const load: LoadView = async (version, orderId) =>
    structuredClone(items.get(key(version, orderId)));
  const save: SaveView = async (version, view, expectedRevision) => {
    const current = items.get(key(version, view.orderId))?.revision ?? 0;
    if (conflicts > 0) {
      conflicts--;
      // The other writer's change lands, and this one must reload and decide again.
      items.set(key(version, view.orderId), { view: structuredClone(view), revision: current + 1 });
      throw new ConcurrentUpdateError(['ConditionalCheckFailed']);
    }
    if (current !== expectedRevision) throw new ConcurrentUpdateError(['ConditionalCheckFailed']);
    state.saves++;
    items.set(key(version, view.orderId), { view: structuredClone(view), revision: current + 1 });
  };
  const list: ListViews = async (version, customerId, { limit, status, after }) => {
    const mine = [...items.entries()]
      .filter(([k]) => k.startsWith(`${version}/`))
      .map(([, v]) => v.view)
      .filter(
        (v): v is OrderView & { placedAt: string } =>
          v.customerId === customerId && v.placedAt !== undefined,
      )
      .sort((a, b) => (a.placedAt + a.orderId < b.placedAt + b.orderId ? 1 : -1))
      .filter((v) => !after || v.placedAt + v.orderId < after.placedAt + after.orderId)
      .filter((v) => !status || (v.status?.value ?? 'PENDING') === status);
    const views = mine.slice(0, limit);
    const last = views.at(-1);
    return {
      orders: views.map(orderSummary),
      next:
        mine.length > limit && last
          ? { placedAt: last.placedAt, orderId: last.orderId }
          : undefined,
    };
  };

  return {
    readPointer,
    load,
    save,
    list,
    state,
    view: (version: number, orderId: string) => items.get(key(version, orderId))?.view,
    loseNextSaves: (n: number) => {
      conflicts = n;
    },
  };
}
