import { defineFixtureShard, FIXTURE_SHARDS } from './catalogue.js';

defineFixtureShard(2, FIXTURE_SHARDS);
