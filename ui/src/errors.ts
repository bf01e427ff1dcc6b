// Showing the server's refusals: the Chinese message as it came, and the field it names.
import { reactive } from 'vue';
import { ElMessage } from 'element-plus';
import { ApiError } from './api';

export function showError(e: unknown, prefix = '') {
  const msg = e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);
  ElMessage({ type: 'error', message: prefix ? `${prefix}：${msg}` : msg, showClose: true, duration: 6000 });
}

/** Per-field error messages for el-form-item :error, filled from an ApiError's `field`. */
export function fieldErrors() {
  const errs = reactive<Record<string, string>>({});
  return {
    errs,
    clear() {
      for (const k of Object.keys(errs)) delete errs[k];
    },
    /** true when the error named a field (shown next to it), false otherwise (shown as a message). */
    take(e: unknown): boolean {
      if (e instanceof ApiError && e.field) {
        errs[e.field.replace(/\[\d+\]$/, '')] = e.message;
        return true;
      }
      return false;
    },
  };
}
