const db = require('./db');

exports.create = async (req, res) => {
  const row = await db.insert(req.body.title, req.body.done);
  res.status(201).json(row);
};

module.exports.list = async function list({ query }, res) {
  res.json(await db.list(query.limit));
};
