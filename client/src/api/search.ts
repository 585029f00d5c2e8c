import type { RouteLocationRaw } from 'vue-router';
import { request } from './request';
import type { BilingualText } from './types';

/** One hit of the global search (GET /search): the client route that opens it, or null. */
export interface SearchHit {
  id: string;
  number: string;
  title: BilingualText;
  state: string;
  link: { route: string; params: Record<string, string>; query?: Record<string, string> } | null;
}
export interface SearchGroup {
  kind: string;
  hits: SearchHit[];
  more: boolean;
}
export interface SearchResult {
  q: string;
  udi: { gtin?: string; lot?: string; serial?: string } | null;
  groups: SearchGroup[];
}

export const SEARCH_MAX = 100;

export const searchApi = {
  search: (q: string, limit = 5) =>
    request<SearchResult>('/search', { query: { q: q.trim().slice(0, SEARCH_MAX), limit }, silent: true }),
};

/** Where a hit opens (null: nothing to open). */
export const hitRoute = (h: SearchHit): RouteLocationRaw | null =>
  h.link ? { name: h.link.route, params: h.link.params, query: h.link.query } : null;
