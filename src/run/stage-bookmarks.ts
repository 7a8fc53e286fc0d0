import { bookmarkManager, type BookmarkManager } from "neo4j-driver";

/**
 * The bookmarks of one stage, shared by all its sessions through the driver's bookmark
 * manager: a session starts from the bookmarks held, and on commit its own bookmark takes
 * the place of those it started from. The set so stays as small as the number of sessions
 * that overlapped, instead of one bookmark per batch: a bookmark names a point in the
 * database's transaction history, and a transaction that started after waiting for some
 * bookmarks commits at a point that includes them. On a cluster, writes go to the
 * database's leader, whose history is the one every bookmark of the database points into,
 * so the stage after still sees every write of this one, and waits for nothing more.
 */
export function stageBookmarks(previous: readonly string[]): BookmarkManager {
  return bookmarkManager({ initialBookmarks: [...previous] });
}

/** What a stage passes on to the next. */
export async function heldBookmarks(manager: BookmarkManager): Promise<string[]> {
  return [...(await manager.getBookmarks())];
}
