/** Boots the renderer: one state object per concern, the shell mounted with them. */
import { mount } from 'svelte';
import App from './App.svelte';
import { Activity } from './lib/activity.svelte.js';
import { Classes } from './lib/classes.svelte.js';
import { Connection } from './lib/connection.svelte.js';
import { Locale } from './lib/locale.svelte.js';
import { Review } from './lib/review.svelte.js';
import { Settings } from './lib/settings.svelte.js';
import { Theme } from './lib/theme.svelte.js';
import './styles.css';

const connection = new Connection();
const { client } = connection;
const activity = new Activity(client);
activity.listen();
const changed = () => void activity.refresh();

mount(App, {
  target: document.getElementById('app')!,
  props: {
    connection,
    locale: new Locale(),
    theme: new Theme(),
    activity,
    review: new Review(client, changed),
    classes: new Classes(client, changed),
    settings: new Settings(client),
  },
});
