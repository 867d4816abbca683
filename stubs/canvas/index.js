// jsroot imports canvas only to draw; bhive never draws with jsroot, so this module exports nothing.
module.exports = {};
