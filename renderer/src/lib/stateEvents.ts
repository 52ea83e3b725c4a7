import { EventBus } from './eventBus.js';

/**
 * What the page's states tell one another, so that none needs to know which others care: the one that changed
 * something emits, and the ones that show it follow while they are listened to.
 */
export interface StateEvents {
  /** Images were filed, moved or put back, or a class was made, from this page: the library's numbers changed. */
  'library-changed': undefined;
  /** A class was made from images chosen on this page (on the map, or from a cluster): lists of classes are stale. */
  'classes-changed': undefined;
  /** The sorting settings were saved from this page: what sorting promises may have changed. */
  'settings-changed': undefined;
  /** A person went on from the first-run view into the app, maybe with another library. */
  entered: undefined;
}

export type StateBus = EventBus<StateEvents>;

export const createStateBus = (): StateBus => new EventBus<StateEvents>();
