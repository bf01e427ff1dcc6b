import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router';
import { session, loadMe, hasRole, homeFor, BUSINESS_ROLES, STATS_ROLES } from './session';
import { onSessionLost } from './api';

declare module 'vue-router' {
  interface RouteMeta {
    /** public pages (portal, login) need no session */
    public?: boolean;
    /** any of these roles may open the page */
    roles?: string[];
    title?: string;
  }
}

const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('./pages/Login.vue'), meta: { public: true, title: '登录' } },
  {
    path: '/portal',
    component: () => import('./layouts/PortalLayout.vue'),
    meta: { public: true },
    children: [
      { path: '', component: () => import('./pages/portal/PortalHome.vue'), meta: { public: true, title: '网上信访' } },
      { path: 'submit', component: () => import('./pages/portal/Submit.vue'), meta: { public: true, title: '我要写信' } },
      { path: 'query', component: () => import('./pages/portal/Query.vue'), meta: { public: true, title: '查询办理进度' } },
    ],
  },
  {
    path: '/dashboard',
    component: () => import('./pages/Dashboard.vue'),
    meta: { roles: STATS_ROLES, title: '信访态势大屏' },
  },
  {
    path: '/',
    component: () => import('./layouts/StaffLayout.vue'),
    children: [
      { path: '', redirect: () => homeFor(session.me) },
      { path: 'todo', component: () => import('./pages/Todo.vue'), meta: { roles: BUSINESS_ROLES, title: '我的待办' } },
      // a pii_reader finds the case whose petitioner they must see
      { path: 'cases', component: () => import('./pages/Cases.vue'), meta: { roles: [...BUSINESS_ROLES, 'pii_reader'], title: '信访事项' } },
      {
        path: 'register',
        component: () => import('./pages/Register.vue'),
        meta: { roles: ['registrar'], title: '登记' },
      },
      {
        path: 'cases/:no',
        component: () => import('./pages/CaseDetail.vue'),
        // a pii_reader reads the case to unmask a petitioner (POST …/petitioners/{ord}/unmask)
        meta: { roles: [...BUSINESS_ROLES, 'pii_reader'], title: '信访事项' },
      },
      {
        path: 'cases/:no/receipt',
        component: () => import('./pages/Receipt.vue'),
        meta: { roles: ['registrar'], title: '受理凭证' },
      },
      {
        path: 'supervision',
        component: () => import('./pages/Supervision.vue'),
        meta: { roles: ['supervisor', 'leader', 'analyst', 'unit_head'], title: '督查督办' },
      },
      { path: 'me', component: () => import('./pages/Profile.vue'), meta: { title: '个人设置' } },
      { path: 'admin/units', component: () => import('./pages/admin/Units.vue'), meta: { roles: ['sysadmin'], title: '单位管理' } },
      {
        path: 'admin/users',
        component: () => import('./pages/admin/Users.vue'),
        meta: { roles: ['sysadmin', 'secadmin'], title: '用户与角色' },
      },
      {
        path: 'admin/calendar',
        component: () => import('./pages/admin/Calendar.vue'),
        meta: { roles: ['sysadmin'], title: '节假日历' },
      },
      {
        path: 'admin/policies',
        component: () => import('./pages/admin/Policies.vue'),
        meta: { roles: ['sysadmin'], title: '时限策略' },
      },
      { path: 'admin/audit', component: () => import('./pages/admin/Audit.vue'), meta: { roles: ['auditor'], title: '审计日志' } },
      { path: ':rest(.*)*', component: () => import('./pages/NotFound.vue'), meta: { title: '页面不存在' } },
    ],
  },
];

export const router = createRouter({ history: createWebHistory(), routes });

router.beforeEach(async (to) => {
  if (to.meta.public) return true;
  if (!session.loaded) await loadMe();
  if (!session.me) return { path: '/login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  if (session.me.totp_enrolment_required && to.path !== '/me') return '/me';
  if (to.meta.roles && !hasRole(...to.meta.roles)) return homeFor(session.me) === to.path ? '/me' : homeFor(session.me);
  return true;
});

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - 信访事项办理系统` : '信访事项办理系统';
});

onSessionLost((e) => {
  session.me = null;
  session.notice = e.code === 'auth.session_expired' ? '会话已过期，请重新登录' : '请先登录';
  const here = router.currentRoute.value;
  if (!here.meta.public) router.push({ path: '/login', query: { next: here.fullPath } });
});
