'use strict';
// wikid's own spec: link tables after edits and purges (the job queue runs
// through Special:RunJobs, as api-testing's helpers do).
const { action, assert, utils, wiki } = require( 'api-testing' );

describe( 'wikid, links, backlinks, categories and purge through api-testing', function () {
	const target = utils.title( 'ApiTestingTarget ' );
	const source = utils.title( 'ApiTestingSource ' );
	const template = utils.title( 'ApiTestingTemplate' );
	const category = utils.title( 'ApiTestingCategory' );
	let alice;

	before( async function () {
		alice = await action.alice();
		await alice.edit( `Template:${ template }`, { text: 'links to [[' + target + ']]' } );
		await alice.edit( source, {
			text: `{{${ template }}} [[Category:${ category }]]`
		} );
	} );

	it( 'lists the templates a page uses', async function () {
		const r = await alice.prop( 'templates', source );
		assert.sameDeepMembers( r[ source ].templates, [ { ns: 10, title: `Template:${ template }` } ] );
	} );

	it( 'lists links that come from a template', async function () {
		const r = await alice.prop( 'links', source );
		assert.sameDeepMembers( r[ source ].links, [ { ns: 0, title: target } ] );
	} );

	it( 'lists backlinks of the target', async function () {
		const r = await alice.list( 'backlinks', { bltitle: target } );
		assert.includeDeepMembers( r.map( ( p ) => p.title ), [ source, `Template:${ template }` ] );
	} );

	it( 'lists categories and category members', async function () {
		const cats = await alice.prop( 'categories', source );
		assert.sameDeepMembers( cats[ source ].categories, [ { ns: 14, title: `Category:${ category }` } ] );
		const members = await alice.list( 'categorymembers', { cmtitle: `Category:${ category }` } );
		assert.deepEqual( members.map( ( p ) => p.title ), [ source ] );
	} );

	it( 'reparses dependent pages when the template changes', async function () {
		const other = utils.title( 'ApiTestingOther ' );
		await alice.edit( `Template:${ template }`, { text: 'now links to [[' + other + ']]' } );
		await wiki.runAllJobs();
		const r = await alice.prop( 'links', source );
		assert.sameDeepMembers( r[ source ].links, [ { ns: 0, title: other } ] );
	} );

	it( 'purges with forcelinkupdate', async function () {
		const r = await alice.action( 'purge', {
			titles: source, forcelinkupdate: true
		}, 'POST' );
		assert.property( r.purge[ 0 ], 'purged' );
		assert.property( r.purge[ 0 ], 'linkupdate' );
	} );
} );
