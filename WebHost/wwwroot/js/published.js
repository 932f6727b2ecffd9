// Counts of counties per colour (red/orange/yellow/blue/green) that Zhejiang published in February 2020
// (docs/sources.md). Shown beside the live counts for comparison; the 24 Feb figures were not found.
export const PUBLISHED_2020 = {
  source: 'http://xw381.com/content/2020-02/13/content_9012914.html',
  sourceName: '浙江省卫生健康委员会新闻发布会 / Zhejiang Health Commission press conferences',
  days: [
    { date: '2020-02-09', counts: [1, 12, 12, 53, 12] },
    { date: '2020-02-12', counts: [1, 11, 13, 17, 48] },
    { date: '2020-02-19', counts: [0, 7, 7, 9, 67] },
    { date: '2020-02-27', counts: [0, 0, 0, 2, 88] },
  ],
};
