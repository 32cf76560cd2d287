/** Search pages the seed functions open. No API key: the user sees the results page itself. */
export function bingSearchUrl(query: string): string {
  return `https://www.bing.com/search?${new URLSearchParams({ q: query }).toString()}`;
}

export function arxivSearchUrl(query: string): string {
  return `https://arxiv.org/search/?${new URLSearchParams({ query, searchtype: 'all' }).toString()}`;
}
