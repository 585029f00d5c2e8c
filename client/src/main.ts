import { createApp } from 'vue';
import { createPinia } from 'pinia';
import ElementPlus from 'element-plus';
import 'element-plus/dist/index.css';
import App from './App.vue';
import { i18n } from './locales';
import { router } from './router';
import { ApiError } from './api/request';
import './styles.css';

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
app.use(ElementPlus);
app.use(router);
// A failed API call has already been shown to the user as one toast; don't log it again.
app.config.errorHandler = (error) => {
  if (!(error instanceof ApiError)) console.error(error);
};
window.addEventListener('unhandledrejection', (event) => {
  if (event.reason instanceof ApiError) event.preventDefault();
});
app.mount('#app');
