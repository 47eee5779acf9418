const express = require('express');
const session = require('./session');

const app = express();
app.use(express.json());
app.use(session());

module.exports = app;
