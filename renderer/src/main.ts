/** Boots the renderer: one state object per concern, the shell mounted with them. */
import { mount } from 'svelte';
import App from './App.svelte';
import { Activity } from './lib/activity.svelte.js';
import { Classes } from './lib/classes.svelte.js';
import { Clusters } from './lib/clusters.svelte.js';
import { Connection } from './lib/connection.svelte.js';
import { Evaluation } from './lib/evaluation.svelte.js';
import { FirstRun } from './lib/firstRun.svelte.js';
import { Locale } from './lib/locale.svelte.js';
import { LibraryMap } from './lib/map.svelte.js';
import { Model } from './lib/model.svelte.js';
import { Review } from './lib/review.svelte.js';
import { Search } from './lib/search.svelte.js';
import { Settings } from './lib/settings.svelte.js';
import { Theme } from './lib/theme.svelte.js';
import './styles.css';

const connection = new Connection();
const { client } = connection;
const activity = new Activity(client);
activity.listen();
const changed = () => void activity.refresh();
const model = new Model(client);
model.listen();
// Shown first while no library is open or no model is there; going on reads the (maybe new) library afresh.
const firstRun = new FirstRun(client, model, changed);
void firstRun.load();

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
    clusters: new Clusters(client, changed),
    evaluation: new Evaluation(client),
    search: new Search(client),
    map: new LibraryMap(client, changed),
    firstRun,
  },
});
