const { transfer } = require('../bank');
const audit = require('../audit');

async function handleTransfer(req, res) {
  const result = await transfer(req.body.from, req.body.to, req.body.amount);
  audit.write({ user: req.user.id, action: 'transfer', amount: req.body.amount });
  res.json(result);
}

module.exports = { handleTransfer };
