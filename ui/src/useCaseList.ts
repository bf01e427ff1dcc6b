// The state both case lists share: filters in the route query, loading, cursor paging,
// the server's refusals of a filter shown next to it.
import { computed, onBeforeUnmount, reactive, ref, watch } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { ApiError, get } from './api';
import { loadRefData } from './refdata';
import { showError } from './errors';
import { type CaseList, type CaseRow, type Filters, filtersFromQuery, filterParams, queryWith, hasFilters } from './lists';

export function useCaseList(path: string, { limit }: { limit?: number } = {}) {
  const route = useRoute();
  const router = useRouter();

  const filters = computed<Filters>({
    get: () => filtersFromQuery(route.query),
    set: (f) => {
      router.push({ path: route.path, query: queryWith(route.query, f) });
    },
  });
  /** the filters as API parameters (also what a saved view holds and what an export takes) */
  const params = computed(() => filterParams(filters.value));
  const filtered = computed(() => hasFilters(filters.value));

  const items = ref<CaseRow[]>([]);
  const next = ref<string | null>(null);
  const loading = ref(false);
  const refreshing = ref(false);
  const loadingMore = ref(false);
  /** a refusal that names no filter, or a network failure: shown in place of the rows */
  const error = ref('');
  /** a failed background refresh: the rows stay, with a warning */
  const staleError = ref('');
  const errs = reactive<Record<string, string>>({});
  const loadedAt = ref<Date | null>(null);
  const loaded = ref(false);

  let seq = 0;
  let ctrl: AbortController | null = null;

  function takeError(e: unknown): string {
    if (e instanceof ApiError && e.field) {
      errs[e.field] = e.message;
      return `筛选条件有误：${e.message}`;
    }
    return e instanceof Error ? e.message : String(e);
  }

  /** Load the first page; `silent` keeps the rows on screen (auto-refresh). */
  async function load({ silent = false } = {}) {
    const my = ++seq;
    ctrl?.abort();
    ctrl = new AbortController();
    if (silent) refreshing.value = true;
    else loading.value = true;
    try {
      await loadRefData();
      const r = await get<CaseList>(path, { ...params.value, limit }, { signal: ctrl.signal });
      if (my !== seq) return;
      for (const k of Object.keys(errs)) delete errs[k];
      items.value = r.items || [];
      next.value = r.next_cursor ?? null;
      error.value = '';
      staleError.value = '';
      loadedAt.value = new Date();
      loaded.value = true;
    } catch (e) {
      if (my !== seq || (e as Error).name === 'AbortError') return;
      if (silent) {
        staleError.value = e instanceof Error ? e.message : String(e);
      } else {
        for (const k of Object.keys(errs)) delete errs[k];
        error.value = takeError(e);
        items.value = [];
        next.value = null;
        loaded.value = true;
      }
    } finally {
      if (my === seq) {
        loading.value = false;
        refreshing.value = false;
      }
    }
  }

  async function loadMore() {
    if (!next.value || loadingMore.value) return;
    const my = seq;
    loadingMore.value = true;
    try {
      const r = await get<CaseList>(path, { ...params.value, limit, cursor: next.value });
      if (my !== seq) return;
      const have = new Set(items.value.map((x) => x.no));
      items.value = items.value.concat((r.items || []).filter((x) => !have.has(x.no)));
      next.value = r.next_cursor ?? null;
    } catch (e) {
      if (my !== seq) return;
      showError(e, '加载更多失败');
    } finally {
      loadingMore.value = false;
    }
  }

  // a change of the filters (not of `due`, a view of the loaded rows) loads again; leaving the
  // page (the route changes before the page goes) does not
  const home = route.path;
  watch(
    () => JSON.stringify(params.value),
    () => {
      if (route.path === home) load();
    },
  );
  onBeforeUnmount(() => {
    seq++;
    ctrl?.abort();
  });

  function applyQuery(q: Record<string, string>) {
    router.push({ path: route.path, query: queryWith(route.query, filtersFromQuery(q)) });
  }

  return {
    route, router, filters, params, filtered, items, next, loading, refreshing, loadingMore,
    error, staleError, errs, loadedAt, loaded, load, loadMore, applyQuery,
  };
}
