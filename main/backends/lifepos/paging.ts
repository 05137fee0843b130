import { BACKEND_TITLES, BackendError } from '../backendError';

export interface Page<T> {
  next_page_token?: string | null | undefined;
  items: T[];
}

/** No sale has this many pages of sessions; a server that keeps handing out tokens is broken. */
const MAX_PAGES = 10_000;

/**
 * Follows `next_page_token` until it comes back empty (seed 000). A token seen twice would loop
 * forever, so it is reported as a bad answer instead.
 */
export async function* followPages<T>(fetchPage: (pageToken: string | undefined) => Promise<Page<T>>): AsyncGenerator<T> {
  const seen = new Set<string>();
  let token: string | undefined;
  for (let pages = 0; ; pages++) {
    if (pages >= MAX_PAGES) throw pagingError(`more than ${MAX_PAGES} pages`);
    const page = await fetchPage(token);
    yield* page.items;
    const next = page.next_page_token ?? '';
    if (next === '') return;
    if (seen.has(next)) throw pagingError(`next_page_token repeated: ${next.slice(0, 64)}`);
    seen.add(next);
    token = next;
  }
}

function pagingError(detail: string): BackendError {
  return new BackendError({
    backend: 'lifepos',
    failure: 'bad_response',
    code: 'lifepos.bad_paging',
    retry: 'permanent',
    message: `${BACKEND_TITLES.lifepos} отдаёт список страниц без конца. Сообщите в поддержку магазина.`,
    detail,
  });
}
