const { Pool } = require('pg');
const pool = new Pool();
module.exports = {
  insert: (title, done) => pool.query('insert into todos(title, done) values ($1, $2)', [title, done]),
  list: (limit) => pool.query('select * from todos limit $1', [limit]),
};
