/** The foot of a paged table: load more, loading, or the end. */
import type { PagedList } from '../lib/use-paged.ts';

/** Props of {@link LoadMore}. */
export interface LoadMoreProps {
  /** The paged list (`usePaged`); its rows are what is shown. */
  list: Pick<PagedList<unknown>, 'rows' | 'hasMore' | 'isLoading' | 'loadMore'>;
}

/** The foot. */
export function LoadMore({ list }: LoadMoreProps) {
  const { hasMore, isLoading } = list;
  const count = list.rows.length;
  return (
    <div className="list-foot">
      {isLoading ? (
        'Loading…'
      ) : hasMore ? (
        <button type="button" className="btn" onClick={list.loadMore}>
          Load more
        </button>
      ) : count > 0 ? (
        `${count.toLocaleString()} shown — end of results`
      ) : null}
    </div>
  );
}
