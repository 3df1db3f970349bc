import './theme.scss';
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { applyTheme } from './lib/theme.ts';

applyTheme();

mount(App, { target: document.getElementById('app')! });
