const express = require('express');
const cors = require('cors');
const session = require('./session');

const app = express();
app.use(express.json());
app.use(cors({ origin: true, credentials: true }));
app.use(session());

module.exports = app;
