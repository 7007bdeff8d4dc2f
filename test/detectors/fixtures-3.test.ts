import { defineFixtureShard, FIXTURE_SHARDS } from './catalogue.js';

defineFixtureShard(3, FIXTURE_SHARDS);
