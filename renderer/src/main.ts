/** Renderer entry: Vue app, Pinia stores, the languages (i18n), global styles. */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { applyDocumentLocale, i18n } from './i18n';
import './styles/base.css';

applyDocumentLocale();
createApp(App).use(createPinia()).use(i18n).mount('#app');
