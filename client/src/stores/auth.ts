import { defineStore } from 'pinia';
import { authApi, type LoginInput } from '@/api/auth';
import type { Session, User } from '@/api/types';

export const useAuthStore = defineStore('auth', {
  state: () => ({
    user: null as User | null,
    csrfToken: '' as string,
    /** Whether GET /auth/me has been tried since the page loaded. */
    checked: false,
  }),
  getters: {
    isAuthenticated: (state) => state.user !== null,
  },
  actions: {
    setSession(session: Session) {
      this.user = session.user;
      this.csrfToken = session.csrfToken;
      this.checked = true;
    },
    setUser(user: User) {
      this.user = user;
    },
    clear() {
      this.user = null;
      this.csrfToken = '';
    },
    async restore() {
      if (this.checked) return;
      try {
        this.setSession(await authApi.me());
      } catch {
        this.clear();
      } finally {
        this.checked = true;
      }
    },
    async login(input: LoginInput) {
      this.setSession(await authApi.login(input));
    },
    async logout() {
      try {
        await authApi.logout();
      } finally {
        this.clear();
      }
    },
  },
});
