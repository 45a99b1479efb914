/** The foot of a paged table: load more, loading, or the end. */

/** Props of {@link LoadMore}. */
export interface LoadMoreProps {
  count: number;
  hasMore: boolean;
  isLoading: boolean;
  onMore: () => void;
}

/** The foot. */
export function LoadMore({ count, hasMore, isLoading, onMore }: LoadMoreProps) {
  return (
    <div className="list-foot">
      {isLoading ? (
        'Loading…'
      ) : hasMore ? (
        <button type="button" className="btn" onClick={onMore}>
          Load more
        </button>
      ) : count > 0 ? (
        `${count.toLocaleString()} shown — end of results`
      ) : null}
    </div>
  );
}
