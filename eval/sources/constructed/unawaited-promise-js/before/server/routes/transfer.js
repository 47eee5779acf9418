const { transfer } = require('../bank');

async function handleTransfer(req, res) {
  const result = await transfer(req.body.from, req.body.to, req.body.amount);
  res.json(result);
}

module.exports = { handleTransfer };
