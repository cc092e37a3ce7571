const express = require('express');
const controller = require('./controller');
const router = express.Router();
router.route('/todos').post(controller.create).get(controller.list);
router.post('/inline', ({ body }, res) => { res.json({ echoed: body.text.toUpperCase() }); });
module.exports = router;
